// Which tables and columns a migration touches, read from its source.
#include "lint/operations.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace retort::core;

class tst_Operations : public QObject
{
    Q_OBJECT
private slots:
    void readsOpCalls();
    void batchAndRawSql();
    void exampleProject();
    void reloadReparsesOnlyChangedFiles();
};

static RevisionFile fileFor(const QByteArray &src)
{
    return parseRevisionSource(std::string_view(src.constData(), size_t(src.size())), QStringLiteral("/x.py"), QStringLiteral("x.py"), retort::core::python::NewestPython);
}

static QStringList describe(const QList<SchemaOperation> &ops)
{
    QStringList out;
    for (const SchemaOperation &o : ops)
        out.append(QStringLiteral("%1%2 %3.%4%5").arg(o.inUpgrade ? QString() : QStringLiteral("down:"), o.op, o.table, o.column,
                                                      o.target.isEmpty() ? QString() : QStringLiteral(" -> ") + o.target));
    return out;
}

void tst_Operations::readsOpCalls()
{
    const QByteArray src =
        "revision = 'a'\ndown_revision = None\n\ndef upgrade():\n"
        "    op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('email', sa.String(255)))\n"
        "    op.add_column(\"users\", sa.Column(\"name\", sa.String(length=50), nullable=False))\n"
        "    op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True)\n"
        "    op.create_foreign_key('fk_orders_user', 'orders', 'users', ['user_id'], ['id'], ondelete='CASCADE')\n"
        "    op.alter_column('users', 'email', existing_type=sa.String(255), nullable=False)\n"
        "    op.drop_column('users', column_name='legacy')\n"
        "    op.drop_index('ix_old', table_name='users')\n"
        "    op.rename_table('people', 'persons')\n"
        "\ndef downgrade():\n    op.drop_table('users')\n";
    const RevisionFile f = fileFor(src);
    QCOMPARE(describe(readOperations(f)),
             (QStringList{"create_table users.", "add_column users.name", "create_index users.",
                          "create_foreign_key orders. -> users", "alter_column users.email", "drop_column users.legacy",
                          "drop_index users. -> ix_old", "rename_table people. -> persons", "down:drop_table users."}));
}

void tst_Operations::batchAndRawSql()
{
    const QByteArray src =
        "revision = 'a'\ndown_revision = None\n\ndef upgrade():\n"
        "    with op.batch_alter_table('employees', schema=None) as batch_op:\n"
        "        batch_op.alter_column('password_hash', existing_type=sa.String(255), nullable=False)\n"
        "        batch_op.add_column(sa.Column('token', sa.Text()))\n"
        "    op.execute(\"UPDATE employees SET token = NULL WHERE id > 0\")\n"
        "    op.execute(sa.text('DELETE FROM \"audit_log\"'))\n"
        "\ndef downgrade():\n    pass\n";
    const RevisionFile f = fileFor(src);
    QCOMPARE(describe(readOperations(f, {QStringLiteral("employees"), QStringLiteral("audit_log"),
                                                                 QStringLiteral("emp")})),
             (QStringList{"batch_alter_table employees.", "alter_column employees.password_hash", "add_column employees.token", "sql employees.",
                          "sql audit_log."}));
}

void tst_Operations::exampleProject()
{
    auto cfg = ProjectConfig::open(QStringLiteral(RETORT_SOURCE_DIR "/examples/coffee-shop"));
    QVERIFY(cfg);
    auto project = ScriptDirectory::load(*cfg);
    QVERIFY(project);
    QCOMPARE(projectTables(*project),
             (QStringList{"customers", "employees", "menu_items", "orders"}));
    QStringList touching;
    for (int r : revisionsTouching(*project, QStringLiteral("employees")))
        touching.append(project->map.at(r).id);
    QCOMPARE(touching, (QStringList{"3f9c1d2a7b10", "b27e6f0d9c35", "c5a8830e41f7", "1e0b7a66d2c4"}));
    touching.clear();
    for (int r : revisionsTouching(*project, QStringLiteral("employees"), QStringLiteral("password_hash")))
        touching.append(project->map.at(r).id);
    QCOMPARE(touching, (QStringList{"3f9c1d2a7b10", "b27e6f0d9c35", "c5a8830e41f7"}));
}

void tst_Operations::reloadReparsesOnlyChangedFiles()
{
    QTemporaryDir dir;
    QFile ini(dir.filePath(QStringLiteral("alembic.ini")));
    QVERIFY(ini.open(QIODevice::WriteOnly));
    ini.write("[alembic]\nscript_location = %(here)s/m\n");
    ini.close();
    QDir().mkpath(dir.filePath(QStringLiteral("m/versions")));
    auto write = [&](const char *name, const QByteArray &text) {
        QFile f(dir.filePath(QStringLiteral("m/versions/") + QLatin1String(name)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    };
    write("a1_first.py", "revision = 'a1'\ndown_revision = None\ndef upgrade():\n    op.create_table('t')\n");
    write("b2_second.py", "revision = 'b2'\ndown_revision = 'a1'\ndef upgrade():\n    op.add_column('t', sa.Column('c'))\n");
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg);
    auto first = ScriptDirectory::load(*cfg);
    QVERIFY(first);
    QCOMPARE(first->reparsed, 2);
    auto second = ScriptDirectory::load(*cfg, &*first);
    QVERIFY(second);
    QCOMPARE(second->reparsed, 0);
    for (qsizetype i = 0; i < first->map.files().size(); ++i)
        QCOMPARE(second->map.files()[i].tree.get(), first->map.files()[i].tree.get());
    write("b2_second.py", "revision = 'b2'\ndown_revision = 'a1'\ndef upgrade():\n    op.drop_column('t', 'c')\n");
    auto third = ScriptDirectory::load(*cfg, &*second);
    QVERIFY(third);
    QCOMPARE(third->reparsed, 1);
    QCOMPARE(describe(readOperations(third->map.fileOf(third->map.indexOf(QStringLiteral("b2"))))), QStringList{"drop_column t.c"});
}

QTEST_GUILESS_MAIN(tst_Operations)
#include "tst_operations.moc"
