// The help text is the source of the man page and the bash completion
// (packaging/cli_docs.py), so it has to describe every command the CLI accepts.
#include "cli/commands.h"

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
};

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
