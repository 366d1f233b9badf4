#pragma once
// For the replay tests (stairway, diff, drift) on any dialect: the command line run
// in-process with Debian's Alembic driving the replays, and revision files written ad hoc.

#include "cli/commands.h"
#include "project/projectconfig.h"
#include "project/scriptdirectory.h"
#include "testsupport.h"

namespace testsupport {

// `retort ARGS --alembic <system python>` in `project`, as the command line runs it.
inline RunResult retortCli(const QString &project, const QStringList &args)
{
    const retort::core::CommandOutput o =
        retort::core::CommandLine::run(args + QStringList{QStringLiteral("--alembic"), systemPython()}, project);
    return {o.exitCode, QString::fromStdString(o.out), QString::fromStdString(o.err)};
}

// The project in `dir` as the engine reads it (for the UI parts handed a snapshot); null
// when it cannot be read.
inline std::shared_ptr<const retort::core::Project> loadProject(const QString &dir)
{
    auto cfg = retort::core::ProjectConfig::open(dir);
    if (!cfg)
        return {};
    auto loaded = retort::core::ScriptDirectory::load(*cfg);
    if (!loaded)
        return {};
    return std::make_shared<const retort::core::Project>(std::move(*loaded));
}

// Replaces `from` (which must be there) by `to` in the file at `path`.
inline bool replaceInFile(const QString &path, const QString &from, const QString &to)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QString text = QString::fromUtf8(f.readAll());
    f.close();
    if (!text.contains(from) || !f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.write(text.replace(from, to).toUtf8());
    return true;
}

// alembic/versions/<id>_rev.py: revision `id` on `down`, with these bodies (indented lines).
inline void writeRevision(const QString &project, const QString &id, const QString &down, const QString &message,
                          const QString &upgrade, const QString &downgrade)
{
    QFile f(project + QStringLiteral("/alembic/versions/%1_rev.py").arg(id));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("\"\"\"%1\n\nRevision ID: %2\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
                           "revision = '%2'\ndown_revision = '%3'\nbranch_labels = None\ndepends_on = None\n\n\n"
                           "def upgrade():\n%4\n\n\ndef downgrade():\n%5\n")
                .arg(message, id, down, upgrade, downgrade)
                .toUtf8());
}

// An env.py that refuses to run without `-x tenant=NAME`, and revision ab12ab12ab12 on the
// example's head that creates the table <tenant>_ledger: replays that forget the user's -x
// arguments fail with "run with -x tenant=NAME"; other arguments give another schema.
inline bool writeTenantProject(const QString &project)
{
    if (!replaceInFile(project + QStringLiteral("/alembic/env.py"), QStringLiteral("config = context.config\n"),
                       QStringLiteral("config = context.config\n"
                                      "if \"tenant\" not in context.get_x_argument(as_dictionary=True):\n"
                                      "    raise SystemExit(\"run with -x tenant=NAME\")\n")))
        return false;
    writeRevision(project, QStringLiteral("ab12ab12ab12"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("the tenant's ledger"),
                  QStringLiteral("    from alembic import context\n"
                                 "    tenant = context.get_x_argument(as_dictionary=True)['tenant']\n"
                                 "    op.create_table(tenant + '_ledger', sa.Column('id', sa.Integer(), primary_key=True))"),
                  QStringLiteral("    from alembic import context\n"
                                 "    op.drop_table(context.get_x_argument(as_dictionary=True)['tenant'] + '_ledger')"));
    return QFile::exists(project + QStringLiteral("/alembic/versions/ab12ab12ab12_rev.py"));
}

// The step drift finds part-way through on a database with two customers of one phone:
// 9e0901010101 adds customers.vip, then a unique index on the phone that the data refuses.
inline void writeVipPerPhoneRevision(const QString &project)
{
    writeRevision(project, QStringLiteral("9e0901010101"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("vip customers, one per phone"),
                  QStringLiteral("    op.add_column('customers', sa.Column('vip', sa.Boolean()))\n"
                                 "    op.create_index('ix_customers_phone', 'customers', ['phone'], unique=True)"),
                  QStringLiteral("    op.drop_index('ix_customers_phone', table_name='customers')\n"
                                 "    with op.batch_alter_table('customers') as b:\n        b.drop_column('vip')"));
}

// What drift advises for it, on every dialect.
inline QString vipPerPhoneAdvice()
{
    return QStringLiteral("The database is part-way through 9e0901010101 (vip customers, one per phone): "
                          "1 of its 2 changes are there; missing:\n"
                          "  + index ix_customers_phone on customers unique (phone)\n"
                          "Either make the missing changes by hand and stamp 9e0901010101, or undo what is there "
                          "by hand (what 9e0901010101's downgrade does for it) and stay at 7f2e4c9b1d83.");
}

} // namespace testsupport
