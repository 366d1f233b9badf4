// Workbench benchmark (not a test): a generated 10,000-revision project opened in the real
// window (offscreen) — time to the graph's first paint and the cost of a scroll frame — and a
// 10,000-table SQLite database opened in the schema dock; then one revision file changes on
// disk and the time from the write to the repainted graph is taken (the session's debounce
// set to 0, so the figure is the work, not the wait), and the resident memory with the
// project open and after the reloads. Prints figures; asserts nothing.
// Usage: bench_workbench [REVISIONS=10000] [RELOADS=5]. Under
// `valgrind --tool=callgrind --instr-atstart=no` only the reloads are measured.
#include "graph/graphpanel.h"
#include "inspector/schemadock.h"
#include "mainwindow.h"
#include "models/revisionmodel.h"
#include "databases.h"
#include "projectsession.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeView>

#include <algorithm>
#include <cstdio>

#include <valgrind/callgrind.h>

namespace {

long residentKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

class PaintWatch : public QObject
{
public:
    bool painted = false;
    bool eventFilter(QObject *, QEvent *e) override
    {
        if (e->type() == QEvent::Paint)
            painted = true;
        return false;
    }
};

QString makeProject(const QString &root, int n)
{
    QDir().mkpath(root + QStringLiteral("/alembic/versions"));
    QFile ini(root + QStringLiteral("/alembic.ini"));
    ini.open(QIODevice::WriteOnly);
    ini.write("[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = sqlite:///%(here)s/none.db\n");
    ini.close();
    QString mainHead, branch;
    auto *rng = QRandomGenerator::global();
    for (int i = 0; i < n; ++i) {
        const QString id = QStringLiteral("%1").arg(rng->generate64() & 0xffffffffffffULL, 12, 16, QLatin1Char('0'));
        QString down = mainHead.isEmpty() ? QStringLiteral("None") : QLatin1Char('\'') + mainHead + QLatin1Char('\'');
        if (i % 50 == 10 && !mainHead.isEmpty()) {
            branch = id; // a side branch, merged five revisions later
        } else if (i % 50 == 15 && !branch.isEmpty()) {
            down = QStringLiteral("('%1', '%2')").arg(mainHead, branch);
            branch.clear();
            mainHead = id;
        } else if (!branch.isEmpty() && i % 2) {
            down = QLatin1Char('\'') + branch + QLatin1Char('\'');
            branch = id;
        } else {
            mainHead = id;
        }
        if (i % 50 == 10)
            down = QLatin1Char('\'') + mainHead + QLatin1Char('\'');
        QFile f(root + QStringLiteral("/alembic/versions/%1_change_%2.py").arg(id).arg(i));
        f.open(QIODevice::WriteOnly);
        f.write(QStringLiteral("\"\"\"change number %1\n\nRevision ID: %2\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
                               "revision = '%2'\ndown_revision = %3\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n"
                               "    op.create_table('t_%1', sa.Column('id', sa.Integer(), primary_key=True))\n\n\ndef downgrade():\n"
                               "    op.drop_table('t_%1')\n")
                    .arg(i)
                    .arg(id, down)
                    .toUtf8());
    }
    return root;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir tmp;
    const int n = argc > 1 ? atoi(argv[1]) : 10000;
    const int rounds = argc > 2 ? std::max(1, atoi(argv[2])) : 5;
    const QString project = makeProject(tmp.filePath(QStringLiteral("p")), n);

    const long rssBefore = residentKb();
    retort::ui::MainWindow window;
    window.resize(1500, 900);
    window.show();
    PaintWatch watch;
    window.findChild<retort::ui::GraphPanel *>()->view()->viewport()->installEventFilter(&watch);
    QSignalSpy loaded(&window, &retort::ui::MainWindow::projectLoaded);
    QElapsedTimer t;
    t.start();
    window.openProject(project);
    while (loaded.isEmpty())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    const qint64 loadedMs = t.elapsed();
    watch.painted = false;
    while (!watch.painted) {
        window.findChild<retort::ui::GraphPanel *>()->view()->viewport()->update();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    const qint64 firstPaint = t.elapsed();

    // Scroll frames: a page at a time through the whole graph, each repaint timed.
    QTreeView *view = window.findChild<retort::ui::GraphPanel *>()->view();
    QScrollBar *bar = view->verticalScrollBar();
    std::vector<double> frames;
    for (int v = 0; v <= bar->maximum() && frames.size() < 400; v += std::max(1, bar->pageStep())) {
        bar->setValue(v);
        QElapsedTimer f;
        f.start();
        view->viewport()->repaint();
        frames.push_back(f.nsecsElapsed() / 1e6);
    }
    std::sort(frames.begin(), frames.end());
    const double median = frames[frames.size() / 2];
    const double p95 = frames[size_t(frames.size() * 0.95)];
    std::printf("workbench, %d revisions: project loaded in %lld ms, graph first painted at %lld ms\n", n, loadedMs, firstPaint);
    std::printf("scroll frame (page step, %zu frames): median %.2f ms, 95th percentile %.2f ms, max %.2f ms\n", frames.size(),
                median, p95, frames.back());
    const long rssOpen = residentKb();

    // One revision file changes on disk: from the write to the graph repainted with it.
    auto *session = window.session();
    session->setReloadDelay(0);
    const auto before = session->project();
    const QString changed = before->map.fileOf(before->map.size() / 2).path;
    QSignalSpy reloaded(session, &retort::ui::ProjectSession::projectLoaded);
    QSignalSpy fileEvent(session, &retort::ui::ProjectSession::fileChanged);
    std::vector<double> reloads, events;
    CALLGRIND_START_INSTRUMENTATION;
    for (int round = 0; round < rounds; ++round) {
        reloaded.clear();
        fileEvent.clear();
        QFile f(changed);
        f.open(QIODevice::ReadOnly);
        QByteArray text = f.readAll();
        f.close();
        text.replace("\"\"\"change number", round % 2 ? "\"\"\"change number" : "\"\"\"Change number");
        text.append("\n");
        QElapsedTimer r;
        r.start();
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        f.close();
        double eventMs = -1;
        while (reloaded.isEmpty()) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
            if (eventMs < 0 && !fileEvent.isEmpty())
                eventMs = r.nsecsElapsed() / 1e6;
        }
        watch.painted = false;
        view->viewport()->update();
        while (!watch.painted)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
        reloads.push_back(r.nsecsElapsed() / 1e6);
        events.push_back(eventMs);
    }
    CALLGRIND_STOP_INSTRUMENTATION;
    std::sort(reloads.begin(), reloads.end());
    std::printf("one file changed, %d revisions: file event at %.1f ms, graph repainted with the new snapshot at median %.1f ms "
                "(min %.1f, max %.1f, %d rounds; a full load took %lld ms)\n",
                n, events.front(), reloads[reloads.size() / 2], reloads.front(), reloads.back(), rounds, loadedMs);
    const long rssReloaded = residentKb();
    std::printf("resident memory: %ld MB before the window, %ld MB with %d revisions open, %ld MB after %d reloads\n",
                rssBefore / 1024, rssOpen / 1024, n, rssReloaded / 1024, rounds);

    // A 10,000-table SQLite database in the schema dock.
    const QString dbPath = tmp.filePath(QStringLiteral("wide.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench"));
        db.setDatabaseName(dbPath);
        db.open();
        QSqlQuery q(db);
        q.exec(QStringLiteral("BEGIN"));
        for (int i = 0; i < 10000; ++i)
            q.exec(QStringLiteral("CREATE TABLE table_%1 (id INTEGER PRIMARY KEY, name TEXT)").arg(i));
        q.exec(QStringLiteral("COMMIT"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench"));
    retort::ui::SchemaDock dock;
    dock.show();
    QSignalSpy objects(&dock, &retort::ui::SchemaDock::objectsLoaded);
    t.restart();
    dock.setProject(session->project());
    dock.databases()->add({QStringLiteral("bench"), QStringLiteral("sqlite:///") + dbPath, {}, false, false});
    dock.databases()->setActive(QStringLiteral("bench"));
    while (objects.isEmpty())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    std::printf("schema dock, 10000 tables: tree filled in %lld ms (%d objects)\n", t.elapsed(), objects.first().first().toInt());
    dock.databases()->remove(QStringLiteral("bench"));
    return 0;
}
