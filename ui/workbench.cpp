#include "workbench.h"

#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

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
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("Project folder (holding alembic.ini)."));
    parser.process(app);

    MainWindow window;
    window.show();
    if (parser.isSet(config))
        window.openProject(parser.value(config));
    else if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().first());
    else
        window.openLastProject();
    return app.exec();
}

} // namespace retort::ui
