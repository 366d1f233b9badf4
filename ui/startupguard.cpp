#include "startupguard.h"

#include "mainwindow.h"
#include "prompter.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>

namespace retort::ui {

namespace {

const QString RunningKey = QStringLiteral("session/runningPid");
const QString LastKey = QStringLiteral("project/last");

// The process that wrote the mark still runs this program (a second window). A process id
// reused by some other program after a crash or a reboot does not count.
bool stillRunning(qint64 pid)
{
    const QString exe = QFileInfo(QStringLiteral("/proc/%1/exe").arg(pid)).symLinkTarget();
    return !exe.isEmpty() && exe == QFileInfo(QCoreApplication::applicationFilePath()).canonicalFilePath();
}

} // namespace

StartupGuard::StartupGuard()
{
    QSettings settings;
    const qint64 previous = settings.value(RunningKey, 0).toLongLong();
    // Another window that is still running is not a crash: its mark is its own.
    m_previousCrashed = previous > 0 && previous != QCoreApplication::applicationPid() && !stillRunning(previous);
    settings.setValue(RunningKey, QCoreApplication::applicationPid());
    settings.sync(); // a crash must find the mark on disk
}

StartupGuard::~StartupGuard()
{
    QSettings settings;
    if (settings.value(RunningKey).toLongLong() == QCoreApplication::applicationPid())
        settings.remove(RunningKey);
    settings.sync();
}

bool StartupGuard::reopenLastProject(MainWindow &window) const
{
    const QString last = QSettings().value(LastKey).toString();
    if (!m_previousCrashed || last.isEmpty() || !QFileInfo::exists(last)) {
        window.openLastProject();
        return false;
    }
    const QString html = QObject::tr("<p>Retort closed unexpectedly the last time, with <b>%1</b> open.</p>"
                                     "<p>Open it again? If it made Retort close, choose No and open another project.</p>")
                             .arg(last.toHtmlEscaped());
    if (Prompter::instance()->confirm(&window, QObject::tr("Reopen the Last Project?"), html))
        window.openProject(last);
    return true;
}

} // namespace retort::ui
