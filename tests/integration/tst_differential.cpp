// Replays the questions alembic_oracle.py asked Debian's Alembic about hundreds of
// generated projects, through Retort's command line, and compares every answer. Each
// question is asked twice: cold (RETORT_NO_CACHE=1, every file parsed) and warm (every
// file's facts from the parse cache, which a load before the project's questions wrote).
#include "cli/commands.h"
#include "graph/stampresult.h"
#include "project/scriptdirectory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using retort::core::CommandLine;

class tst_Differential : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void project_data();
    void project();

private:
    QJsonArray m_projects;
    QTemporaryDir m_cache;
};

void tst_Differential::initTestCase()
{
    const QString path = qEnvironmentVariable("RETORT_ORACLE_CASES");
    QVERIFY2(!path.isEmpty(), "RETORT_ORACLE_CASES is not set: run through ctest");
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path + QStringLiteral(": ") + f.errorString()));
    m_projects = QJsonDocument::fromJson(f.readAll()).array();
    QVERIFY(m_cache.isValid());
    qputenv("RETORT_CACHE_DIR", m_cache.path().toUtf8());
    QVERIFY(m_projects.size() >= 100);
}

void tst_Differential::project_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < m_projects.size(); ++i) {
        const QJsonObject p = m_projects[i].toObject();
        const QString name = p[QStringLiteral("project")].toString().section(QLatin1Char('/'), -1)
            + (p[QStringLiteral("broken")].isNull() ? QString() : QLatin1Char('-') + p[QStringLiteral("broken")].toString());
        QTest::newRow(qPrintable(name)) << i;
    }
}

void tst_Differential::project()
{
    QFETCH(int, index);
    const QJsonObject p = m_projects[index].toObject();
    const QString dir = p[QStringLiteral("project")].toString();
    const QJsonArray cases = p[QStringLiteral("cases")].toArray();
    QVERIFY(!cases.isEmpty());
    int checked = 0;
    // Fills the cache: every question after it may take the files' facts from it.
    qunsetenv("RETORT_NO_CACHE");
    CommandLine::run({QStringLiteral("-c"), dir + QStringLiteral("/alembic.ini"), QStringLiteral("heads")}, dir);
    for (int pass = 0; pass < 2 * cases.size(); ++pass) {
        const bool warm = pass % 2;
        const QJsonObject c = cases[pass / 2].toObject();
        QStringList args{QStringLiteral("-c"), dir + QStringLiteral("/alembic.ini")};
        for (const QJsonValue &a : c[QStringLiteral("args")].toArray())
            args.append(a.toString());
        if (warm)
            qunsetenv("RETORT_NO_CACHE");
        else
            qputenv("RETORT_NO_CACHE", "1");
        const auto out = CommandLine::run(args, dir);
        const auto loaded = std::static_pointer_cast<const retort::core::Project>(out.loaded);
        // A warm load parses nothing; a cold one takes nothing from the cache.
        if (loaded && loaded->map.size() > 0) {
            QVERIFY2(warm ? loaded->reparsed == 0 : loaded->fromCache == 0,
                     qPrintable(QStringLiteral("`%1` (%2): %3 files parsed, %4 from the cache")
                                    .arg(args.mid(2).join(QLatin1Char(' ')), warm ? QStringLiteral("warm") : QStringLiteral("cold"))
                                    .arg(loaded->reparsed)
                                    .arg(loaded->fromCache)));
        }
        const QString cmd = args.mid(2).join(QLatin1Char(' ')) + (warm ? QStringLiteral(" [warm cache]") : QStringLiteral(" [no cache]"));
        const QString stdoutText = QString::fromStdString(out.out);
        const QString stderrText = QString::fromStdString(out.err);
        const QString expected = c[QStringLiteral("stdout")].toString();
        const QString crash = c[QStringLiteral("crash")].toString();
        const QString error = c[QStringLiteral("error")].toString();
        if (c[QStringLiteral("failed")].toBool() && !crash.isEmpty()) {
            // An exception Alembic's command line does not catch: a traceback, exit status 1,
            // and on stdout only what was printed before it.
            QVERIFY2(out.exitCode == 1,
                     qPrintable(QStringLiteral("`retort %1`: Alembic raised %2 (exit status 1); Retort exited %3 and said: %4")
                                    .arg(cmd, crash).arg(out.exitCode).arg(stdoutText + stderrText)));
            QVERIFY2(stdoutText == expected, qPrintable(QStringLiteral("`retort %1` in %2 (Alembic raised %3)\n--- alembic stdout\n%4\n--- retort stdout\n%5")
                                                                .arg(cmd, dir, crash, expected, stdoutText)));
        } else if (c[QStringLiteral("failed")].toBool()) {
            // A CommandError: what was printed before it, then "FAILED: ..." on stdout, exit 255.
            QVERIFY2(out.exitCode == 255, qPrintable(QStringLiteral("`retort %1` exited %2 where Alembic failed with 255 (%3); "
                                                                    "Retort printed:\n%4")
                                                         .arg(cmd).arg(out.exitCode).arg(error, stdoutText + stderrText)));
            const QString &failed = stdoutText;
            QVERIFY2(failed.startsWith(expected + QStringLiteral("FAILED: ") + error),
                     qPrintable(QStringLiteral("`retort %1` in %2\n expected: %3FAILED: %4\n      got: %5")
                                    .arg(cmd, dir, expected, error, failed)));
            QVERIFY2(failed.endsWith(QLatin1Char('\n')) && failed.count(QLatin1Char('\n')) == expected.count(QLatin1Char('\n')) + 1,
                     qPrintable(QStringLiteral("`retort %1`: more than one FAILED line: %2").arg(cmd, failed)));
        } else {
            QVERIFY2(out.exitCode == 0, qPrintable(QStringLiteral("`retort %1` failed where Alembic answered:\n%2\n"
                                                                  "Retort said: %3")
                                                       .arg(cmd, expected, stdoutText + stderrText)));
            if (stdoutText != expected) {
                QFAIL(qPrintable(QStringLiteral("`retort %1` in %2\n--- alembic\n%3\n--- retort\n%4")
                                     .arg(cmd, dir, expected, stdoutText)));
            }
        }
        ++checked;
    }
    QCOMPARE(checked, 2 * cases.size());

    // `alembic stamp` from several version tables: the rows Alembic's MigrationContext left,
    // or its failure, against stampResult() (what the workbench's stamp confirmation shows).
    const QJsonArray stamps = p[QStringLiteral("stamps")].toArray();
    if (stamps.isEmpty())
        return;
    const auto out = CommandLine::run({QStringLiteral("-c"), dir + QStringLiteral("/alembic.ini"), QStringLiteral("heads")}, dir);
    const auto loaded = std::static_pointer_cast<const retort::core::Project>(out.loaded);
    QVERIFY(loaded);
    QStringList differences;
    for (const QJsonValue &v : stamps) {
        const QJsonObject c = v.toObject();
        const QString target = c[QStringLiteral("target")].toString();
        const QStringList current = c[QStringLiteral("current")].toVariant().toStringList();
        const auto ours = retort::core::stampResult(loaded->map, target, current);
        const QString question = QStringLiteral("stamp '%1' from (%2)").arg(target, current.join(QStringLiteral(", ")));
        if (c[QStringLiteral("failed")].toBool()) {
            const QString theirs = c[QStringLiteral("crash")].toString().isEmpty() ? c[QStringLiteral("error")].toString()
                                                                                     : c[QStringLiteral("crash")].toString();
            if (ours)
                differences.append(QStringLiteral("%1: Alembic failed (%2), Retort gives rows (%3)")
                                       .arg(question, theirs, ours->rows.join(QStringLiteral(", "))));
            else if (c[QStringLiteral("crash")].toString().isEmpty() && ours.error().message != theirs)
                differences.append(QStringLiteral("%1: Alembic failed: %2\n    Retort failed: %3")
                                       .arg(question, theirs, ours.error().message));
            continue;
        }
        const QStringList rows = c[QStringLiteral("rows")].toVariant().toStringList();
        if (!ours) {
            differences.append(QStringLiteral("%1: Alembic leaves (%2), Retort failed: %3")
                                   .arg(question, rows.join(QStringLiteral(", ")), ours.error().message));
            continue;
        }
        QStringList got = ours->rows;
        got.sort();
        if (got != rows)
            differences.append(QStringLiteral("%1: Alembic leaves (%2), Retort (%3)")
                                   .arg(question, rows.join(QStringLiteral(", ")), got.join(QStringLiteral(", "))));
    }
    QVERIFY2(differences.isEmpty(), qPrintable(QStringLiteral("in %1, %2 of %3 stamps differ:\n  ")
                                                   .arg(dir)
                                                   .arg(differences.size())
                                                   .arg(stamps.size())
                                               + differences.join(QStringLiteral("\n  "))));
}

QTEST_GUILESS_MAIN(tst_Differential)
#include "tst_differential.moc"
