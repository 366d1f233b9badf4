#include "workbench.h"

#include "mainwindow.h"
#include "startupguard.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QIcon>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>

#include "editor/migrationeditor.h"
#include "graph/graphpanel.h"
#include "inspector/schemadock.h"
#include "run/runpanel.h"
#include "run/sqlpreview.h"

#include <Qsci/qsciscintilla.h>

namespace retort::ui {

int runWorkbench(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Retort"));
    QApplication::setOrganizationName(QStringLiteral("Retort"));
    QApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.retort.Retort"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/retort.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A desktop workbench for Alembic database migrations"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption config({QStringLiteral("c"), QStringLiteral("config")},
                              QStringLiteral("Alembic configuration file to open."), QStringLiteral("FILE"));
    parser.addOption(config);
    QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Revision to select once the project is open."),
                              QStringLiteral("REV"));
    parser.addOption(select);
    QCommandLineOption filter(QStringLiteral("filter"), QStringLiteral("Text to filter the graph by."), QStringLiteral("TEXT"));
    parser.addOption(filter);
    QCommandLineOption line(QStringLiteral("line"), QStringLiteral("Line of the selected file to show."), QStringLiteral("N"));
    parser.addOption(line);
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a picture of the window to FILE once the project is open, then quit "
                                                 "(used by scripts/screenshots.sh)."),
                                  QStringLiteral("FILE"));
    parser.addOption(screenshot);
    QCommandLineOption describe(QStringLiteral("describe"), QStringLiteral("Schema inspector command to run once connected."),
                                QStringLiteral("CMD"));
    parser.addOption(describe);
    QCommandLineOption showCreate(QStringLiteral("show-create"),
                                  QStringLiteral("Select NAME in the schema tree once connected and show its CREATE statement."),
                                  QStringLiteral("NAME"));
    parser.addOption(showCreate);
    QCommandLineOption upgradeTo(QStringLiteral("upgrade"), QStringLiteral("Upgrade to TARGET once the project is open."),
                                 QStringLiteral("TARGET"));
    parser.addOption(upgradeTo);
    QCommandLineOption stairway(QStringLiteral("stairway"), QStringLiteral("Run the stairway test once the project is open."));
    parser.addOption(stairway);
    QCommandLineOption sqlTab(QStringLiteral("sql"), QStringLiteral("Show the selected revision's SQL tab."));
    parser.addOption(sqlTab);
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size, WIDTHxHEIGHT."), QStringLiteral("SIZE"));
    parser.addOption(size);
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("Project folder (holding alembic.ini)."));
    parser.process(app);

    const StartupGuard guard;
    MainWindow window;
    auto *graph = window.findChild<GraphPanel *>();
    auto *schema = window.findChild<SchemaDock *>();
    auto *editor = window.findChild<MigrationEditor *>();
    auto *run = window.findChild<RunPanel *>();
    auto *preview = window.findChild<SqlPreview *>();
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    window.show();
    // A picture of the schema dock's answer needs room for more than a few lines of it.
    if (parser.isSet(describe) || parser.isSet(showCreate)) {
        if (auto *dock = qobject_cast<QDockWidget *>(schema->parentWidget()))
            window.resizeDocks({dock}, {window.height() * 2 / 5}, Qt::Vertical);
    }
    QObject::connect(&window, &MainWindow::projectLoaded, &window, [&] {
        if (parser.isSet(select))
            window.selectRevision(parser.value(select));
        if (parser.isSet(filter))
            graph->setFilter(parser.value(filter));
        if (parser.isSet(describe)) {
            if (schema->isConnected()) {
                schema->runCommand(parser.value(describe));
            } else {
                QObject::connect(schema, &SchemaDock::connectedChanged, &window, [&](bool ok) {
                    if (ok)
                        schema->runCommand(parser.value(describe));
                }, Qt::SingleShotConnection);
            }
        }
        if (parser.isSet(showCreate)) {
            QObject::connect(schema, &SchemaDock::objectsLoaded, &window, [&] {
                auto *tree = schema->tree();
                const QModelIndexList hits = tree->model()->match(tree->model()->index(0, 0), Qt::DisplayRole, parser.value(showCreate),
                                                                  1, Qt::MatchRecursive | Qt::MatchExactly);
                if (hits.isEmpty()) {
                    qWarning("no %s in the schema tree", qPrintable(parser.value(showCreate)));
                    return;
                }
                tree->setCurrentIndex(hits.first());
                schema->showCreateStatement();
            }, Qt::SingleShotConnection);
        }
        if (parser.isSet(line))
            editor->goToLine(parser.value(line).toInt());
        auto shoot = [&] {
            // Give the database read and the first paint a moment, then take the picture.
            QTimer::singleShot(800, &window, [&] {
                const QString file = parser.value(screenshot);
                if (!window.grab().save(file))
                    qWarning("cannot write %s", qPrintable(file));
                QApplication::quit();
            });
        };
        const bool running = parser.isSet(upgradeTo) || parser.isSet(stairway);
        if (parser.isSet(sqlTab)) {
            QObject::connect(run, &RunPanel::alembicLocated, &window, [&] { window.showSqlTab(); }, Qt::SingleShotConnection);
            if (parser.isSet(screenshot))
                QObject::connect(preview, &SqlPreview::revisionSqlReady, &window, shoot, Qt::SingleShotConnection);
        } else if (running) {
            // Runs need the project's Alembic, which is found in the background.
            QObject::connect(run, &RunPanel::alembicLocated, &window, [&](bool ok) {
                if (!ok)
                    return;
                if (parser.isSet(upgradeTo))
                    run->upgrade(parser.value(upgradeTo));
                else
                    run->runStairway();
            }, Qt::SingleShotConnection);
            if (parser.isSet(screenshot)) {
                QObject::connect(run, &RunPanel::runFinished, &window, shoot, Qt::SingleShotConnection);
                QObject::connect(run, &RunPanel::stairwayFinished, &window, shoot, Qt::SingleShotConnection);
            }
        } else if (parser.isSet(showCreate) && parser.isSet(screenshot)) {
            QObject::connect(schema, &SchemaDock::commandAnswered, &window, shoot, Qt::SingleShotConnection);
        } else if (parser.isSet(screenshot)) {
            shoot();
        }
    }, Qt::SingleShotConnection);
    QObject::connect(&window, &MainWindow::loadFailed, &window, [&] {
        if (parser.isSet(screenshot))
            QTimer::singleShot(500, &window, [&] {
                window.grab().save(parser.value(screenshot));
                QApplication::quit();
            });
    });
    if (parser.isSet(config))
        window.openProject(parser.value(config));
    else if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().first());
    else
        guard.reopenLastProject(window);
    return app.exec();
}

} // namespace retort::ui
