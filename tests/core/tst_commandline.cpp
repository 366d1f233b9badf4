// The help text is the source of the man page and the bash completion
// (packaging/cli_docs.py), so it has to describe every command the CLI accepts.
#include "cli/commands.h"

#include <QDir>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using retort::core::CommandLine;

class tst_CommandLine : public QObject
{
    Q_OBJECT

private slots:
    void everyCommandHasAHelpEntry_data()
    {
        QTest::addColumn<QString>("command");
        for (const QString &c : CommandLine::commands()) {
            if (c != QLatin1String("help"))
                QTest::newRow(qPrintable(c)) << c;
        }
    }
    void everyCommandHasAHelpEntry()
    {
        QFETCH(QString, command);
        QVERIFY(CommandLine::isHeadless({command}));
        const QString usage = CommandLine::usage();
        const qsizetype section = usage.indexOf(QLatin1String("\ncommands:\n"));
        QVERIFY2(section >= 0, "the help text has no 'commands:' section");
        const qsizetype end = usage.indexOf(QRegularExpression(QStringLiteral("\n[a-z][a-z ]*:\n")), section + 1);
        const QString commands = usage.mid(section, end < 0 ? -1 : end - section);
        const QRegularExpression entry(QStringLiteral("\n  %1( |\n)").arg(QRegularExpression::escape(command)));
        QVERIFY2(commands.contains(entry),
                 qPrintable(QStringLiteral("`retort help` has no entry for the command '%1'; the man page and the "
                                           "bash completion are generated from it").arg(command)));
    }
    void helpEntriesAreCommands()
    {
        const QString usage = CommandLine::usage();
        const qsizetype section = usage.indexOf(QLatin1String("\ncommands:\n"));
        const qsizetype end = usage.indexOf(QRegularExpression(QStringLiteral("\n[a-z][a-z ]*:\n")), section + 1);
        const QString commands = usage.mid(section, end < 0 ? -1 : end - section);
        auto it = QRegularExpression(QStringLiteral("\n  ([a-z][a-z-]*)")).globalMatch(commands);
        QSet<QString> names; // a command may have several usage lines (check, check --against)
        while (it.hasNext()) {
            const QString name = it.next().captured(1);
            QVERIFY2(CommandLine::commands().contains(name), qPrintable(name));
            names.insert(name);
        }
        QCOMPARE(names.size(), CommandLine::commands().size() - 1); // all but help
    }
    void helpAndVersionOptionsAreDocumented()
    {
        const QString usage = CommandLine::usage();
        QVERIFY(usage.contains(QLatin1String("--help")));
        QVERIFY(usage.contains(QLatin1String("--version")));
    }

    // argparse's reading of "-...": an option value that starts with '-' and is no negative
    // number is taken for an option, so `alembic history -r -1:` is a usage error (exit 2);
    // "-1" and "-.5" are numbers, and an attached value is always a value.
    void optionValuesReadAsArgparseDoes()
    {
        const QString nowhere = QDir::tempPath();
        const auto dash = CommandLine::run({QStringLiteral("history"), QStringLiteral("-r"), QStringLiteral("-1:")}, nowhere);
        QCOMPARE(dash.exitCode, 2);
        QVERIFY2(QString::fromStdString(dash.err).contains(QLatin1String("argument -r: expected one argument")), dash.err.c_str());
        QVERIFY(dash.out.empty());
        for (const QStringList &args : {QStringList{QStringLiteral("history"), QStringLiteral("-r"), QStringLiteral("-1")},
                                        QStringList{QStringLiteral("history"), QStringLiteral("--rev-range=-1:")}}) {
            // Read as values: the command goes on to look for the project (and fails there).
            const auto r = CommandLine::run(args + QStringList{QStringLiteral("-c"), QStringLiteral("/nonexistent/alembic.ini")}, nowhere);
            QVERIFY2(r.exitCode != 2, qPrintable(args.join(u' ') + QLatin1String(": ") + QString::fromStdString(r.err)));
        }
    }
};

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
