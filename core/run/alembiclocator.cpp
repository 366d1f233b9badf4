#include "alembiclocator.h"
#include "virtualenvs.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

namespace retort::core {

Result<AlembicCommand> AlembicLocator::probe(const QString &program, const QStringList &prefix, const QString &description)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, prefix + QStringList{QStringLiteral("--version")});
    if (!p.waitForStarted(5000))
        return makeError(Error::Code::Io, QStringLiteral("%1 does not start: %2").arg(program, p.errorString()));
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished();
        return makeError(Error::Code::Io, QStringLiteral("%1 --version did not answer").arg(program));
    }
    const QString out = QString::fromUtf8(p.readAll()).trimmed();
    static const QRegularExpression version(QStringLiteral("alembic (\\d+\\.\\d+(?:\\.\\d+)?)"));
    const auto m = version.match(out);
    if (p.exitCode() != 0 || !m.hasMatch())
        return makeError(Error::Code::Io, QStringLiteral("%1 is not a working Alembic: %2").arg(program, out.left(300)));
    return AlembicCommand{program, prefix, m.captured(1), description};
}

Result<AlembicCommand> AlembicLocator::locate(const QString &projectDir, const QString &configured)
{
    QStringList tried;
    auto attempt = [&](const QString &program, const QStringList &prefix, const QString &why) -> std::optional<AlembicCommand> {
        auto r = probe(program, prefix, why);
        if (r)
            return *r;
        tried.append(r.error().message);
        return std::nullopt;
    };
    if (!configured.isEmpty()) {
        const bool isPython = QFileInfo(configured).fileName().startsWith(QLatin1String("python"));
        if (auto c = attempt(configured, isPython ? QStringList{QStringLiteral("-m"), QStringLiteral("alembic")} : QStringList{},
                             QStringLiteral("configured")))
            return *c;
    }
    // Virtualenvs in the project folder, its parents, and their direct subfolders (backend/venv).
    for (const QString &bin : virtualenvBinDirs(projectDir)) {
        const QString where = QStringLiteral("virtualenv %1").arg(QDir::cleanPath(bin + QStringLiteral("..")));
        if (QFileInfo(bin + QStringLiteral("alembic")).isExecutable()) {
            if (auto c = attempt(bin + QStringLiteral("alembic"), {}, where))
                return *c;
        }
        if (QFileInfo(bin + QStringLiteral("python")).isExecutable()) {
            if (auto c = attempt(bin + QStringLiteral("python"), {QStringLiteral("-m"), QStringLiteral("alembic")}, where))
                return *c;
        }
    }
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("alembic"));
    if (!onPath.isEmpty()) {
        if (auto c = attempt(onPath, {}, QStringLiteral("PATH")))
            return *c;
    }
    for (const QString &py : {QStandardPaths::findExecutable(QStringLiteral("python3")), QStringLiteral("/usr/bin/python3")}) {
        if (py.isEmpty())
            continue;
        if (auto c = attempt(py, {QStringLiteral("-m"), QStringLiteral("alembic")}, QStringLiteral("%1 -m alembic").arg(py)))
            return *c;
    }
    Error e = makeError(Error::Code::Io,
                        QStringLiteral("No working Alembic found for %1. Create a virtualenv with Alembic in the project "
                                       "(venv/ or .venv/), install it (Debian: apt install alembic), or choose an "
                                       "interpreter in the run settings.")
                            .arg(projectDir));
    e.detail = tried.join(QLatin1Char('\n'));
    return e;
}

QStringList virtualenvBinDirs(const QString &projectDir)
{
    QStringList bins;
    QDir dir(projectDir);
    for (int up = 0; up < 6; ++up) {
        QStringList roots{dir.absolutePath()};
        for (const QString &sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            roots.append(dir.absoluteFilePath(sub));
        for (const QString &root : std::as_const(roots))
            for (const char *venv : {"venv", ".venv", "env", ".env"}) {
                const QString bin = root + QLatin1Char('/') + QLatin1String(venv) + QStringLiteral("/bin/");
                if (QFileInfo(bin).isDir())
                    bins.append(bin);
            }
        if (!dir.cdUp())
            break;
    }
    return bins;
}

} // namespace retort::core
