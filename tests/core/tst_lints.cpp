// Each review rule: a revision that triggers it, and one close to it that must not.
#include "lint/lints.h"

#include <QTemporaryDir>
#include <QTest>

using namespace retort::core;

class tst_Lints : public QObject
{
    Q_OBJECT
private slots:
    void rules_data();
    void rules();
    void everyRuleHasACase();
    void suppressionAndConfig();
    void exampleIsClean();

private:
    QSet<QString> m_covered;
};

static RevisionMap single(const QByteArray &upgrade, const QByteArray &downgrade, const QByteArray &header = {},
                          const QString &message = QStringLiteral("add things"))
{
    const QByteArray src = header + "\"\"\"" + message.toUtf8() + "\n\nRevision ID: r1\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n"
                           "revision = 'r1'\ndown_revision = None\n\n\ndef upgrade():\n" + upgrade + "\n\n\ndef downgrade():\n" + downgrade + "\n";
    RevisionFile f = parseRevisionSource(std::string_view(src.constData(), size_t(src.size())), QStringLiteral("/v/r1.py"), QStringLiteral("r1.py"), retort::core::python::NewestPython);
    return RevisionMap::build({f});
}

static QStringList rulesOf(const QByteArray &upgrade, const QByteArray &downgrade, const QByteArray &header = {},
                           const QString &message = QStringLiteral("add things"))
{
    const RevisionMap map = single(upgrade, downgrade, header, message);
    QStringList out;
    for (const Diagnostic &d : lintRevision(map, 0))
        out.append(d.rule);
    out.removeDuplicates();
    out.sort();
    return out;
}

void tst_Lints::rules_data()
{
    QTest::addColumn<QByteArray>("upgrade");
    QTest::addColumn<QByteArray>("downgrade");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("fires");
    const QByteArray noop = "    pass";
    auto row = [](const char *name, const QByteArray &up, const QByteArray &down, const QString &rule, bool fires,
                  const QByteArray &header = {}) { QTest::newRow(name) << up << down << header << rule << fires; };
    row("irreversible", "    op.create_table('t', sa.Column('id', sa.Integer()))", noop, "irreversible-downgrade", true);
    row("reversible", "    op.create_table('t', sa.Column('id', sa.Integer()))", "    op.drop_table('t')", "irreversible-downgrade", false);
    row("both empty", noop, noop, "irreversible-downgrade", false);
    row("drop table", "    op.drop_table('legacy')", "    op.create_table('legacy')", "drop-table", true);
    row("drop index is no drop table", "    op.drop_index('ix_a', table_name='t')", "    op.create_index('ix_a', 't', ['a'])", "drop-table", false);
    row("drop column", "    op.drop_column('t', 'c')", "    op.add_column('t', sa.Column('c', sa.Text()))", "drop-column", true);
    row("drop constraint", "    op.drop_constraint('uq_t_a', 't')", "    op.create_unique_constraint('uq_t_a', 't', ['a'])", "drop-constraint", true);
    row("narrowing", "    op.alter_column('t', 'c', existing_type=sa.String(255), type_=sa.String(50))",
        "    op.alter_column('t', 'c', existing_type=sa.String(50), type_=sa.String(255))", "narrowing-type", true);
    row("widening", "    op.alter_column('t', 'c', existing_type=sa.String(50), type_=sa.String(255))",
        "    op.alter_column('t', 'c', existing_type=sa.String(255), type_=sa.String(50))", "narrowing-type", false);
    row("bigint to int", "    op.alter_column('t', 'c', existing_type=sa.BigInteger(), type_=sa.Integer())", noop + "\n    op.alter_column('t', 'c')", "narrowing-type", true);
    row("truncate", "    op.execute('TRUNCATE audit_log')", "    pass", "destructive-sql", true);
    row("delete all", "    op.execute(\"DELETE FROM sessions\")", "    pass", "destructive-sql", true);
    row("delete with where", "    op.execute(\"DELETE FROM sessions WHERE expired\")", "    pass", "destructive-sql", false);
    row("required field", "    op.add_column('t', sa.Column('c', sa.Text(), nullable=False))", "    op.drop_column('t', 'c')", "adding-required-field", true);
    row("required with default", "    op.add_column('t', sa.Column('c', sa.Text(), nullable=False, server_default='x'))",
        "    op.drop_column('t', 'c')", "adding-required-field", false);
    row("nullable field", "    op.add_column('t', sa.Column('c', sa.Text(), nullable=True))", "    op.drop_column('t', 'c')", "adding-required-field", false);
    row("rename", "    op.drop_column('users', 'fullname')\n    op.add_column('users', sa.Column('full_name', sa.Text()))",
        "    op.drop_column('users', 'full_name')\n    op.add_column('users', sa.Column('fullname', sa.Text()))", "probable-rename", true);
    row("drop and add on other tables", "    op.drop_column('users', 'a')\n    op.add_column('orders', sa.Column('b', sa.Text()))",
        "    op.drop_column('orders', 'b')\n    op.add_column('users', sa.Column('a', sa.Text()))", "probable-rename", false);
    row("unmirrored column", "    op.add_column('t', sa.Column('c', sa.Text()))", "    op.drop_index('ix_other', table_name='t')", "unmirrored-downgrade", true);
    row("unmirrored index", "    op.create_index('ix_t_a', 't', ['a'])", "    op.drop_index('ix_t_b', table_name='t')", "unmirrored-downgrade", true);
    row("mirrored", "    op.create_index('ix_t_a', 't', ['a'])\n    op.add_column('t', sa.Column('c', sa.Text()))",
        "    op.drop_column('t', 'c')\n    op.drop_index('ix_t_a', table_name='t')", "unmirrored-downgrade", false);
    row("concurrently", "    op.create_index('ix', 't', ['a'], postgresql_concurrently=True)", "    op.drop_index('ix', table_name='t')",
        "concurrent-index-in-transaction", true);
    row("concurrently sql", "    op.execute('CREATE INDEX CONCURRENTLY ix ON t (a)')", "    op.execute('DROP INDEX ix')",
        "concurrent-index-in-transaction", true);
    row("concurrently in autocommit", "    with op.get_context().autocommit_block():\n        op.create_index('ix', 't', ['a'], postgresql_concurrently=True)",
        "    op.drop_index('ix', table_name='t')", "concurrent-index-in-transaction", false);
    row("fk", "    op.create_foreign_key('fk', 'a', 'b', ['b_id'], ['id'])", "    op.drop_constraint('fk', 'a')", "validate-constraint-separately", true);
    row("fk not valid", "    op.create_foreign_key('fk', 'a', 'b', ['b_id'], ['id'], postgresql_not_valid=True)",
        "    op.drop_constraint('fk', 'a')", "validate-constraint-separately", false);
    row("models import", "    pass", "    pass", "imports-app-models", true, "from myapp.models import User\n");
    row("sqlalchemy import", "    pass", "    pass", "imports-app-models", false, "from sqlalchemy.orm import Session\n");
    row("offline unsafe", "    bind = op.get_bind()\n    bind.execute(sa.text('SELECT 1'))", "    pass", "offline-unsafe", true);
    // Comments and strings are never code (issue 11): none of these may fire.
    row("commented-out op", "    # op.add_column('t', sa.Column('c', sa.Text(), nullable=False))\n    pass", "    pass",
        "irreversible-downgrade", false);
    row("commented-out required field", "    # op.add_column('t', sa.Column('c', sa.Text(), nullable=False))\n    pass", "    pass",
        "adding-required-field", false);
    row("op in a docstring", "    \"\"\"op.drop_table('legacy')\"\"\"\n    pass", "    pass", "drop-table", false);
    row("op in a string", "    note = \"op.drop_column('t', 'c')\"", "    pass", "drop-column", false);
    row("sql in a comment", "    # op.execute('TRUNCATE audit_log')\n    pass", "    pass", "destructive-sql", false);
    row("keyword in a comment", "    op.add_column('t', sa.Column('c', sa.Text()))  # nullable=False",
        "    op.drop_column('t', 'c')", "adding-required-field", false);
    row("guard only in a comment", "    # context.is_offline_mode()\n    bind = op.get_bind()", "    pass", "offline-unsafe", true);
    row("import in a string", "    pass", "    pass", "imports-app-models", false, "NOTE = '''\nfrom myapp.models import User\n'''\n");
    // Batch operations whatever the `as` name.
    row("batch alias b", "    with op.batch_alter_table('t') as b:\n        b.drop_column('c')",
        "    with op.batch_alter_table('t') as b:\n        b.add_column(sa.Column('c', sa.Text()))", "drop-column", true);
    row("batch alias b required", "    with op.batch_alter_table('t') as b:\n        b.add_column(sa.Column('c', sa.Text(), nullable=False))",
        "    with op.batch_alter_table('t') as b:\n        b.drop_column('c')", "adding-required-field", true);
    row("batch alias mirrored", "    with op.batch_alter_table('t') as tbl:\n        tbl.add_column(sa.Column('c', sa.Text()))",
        "    with op.batch_alter_table('t') as other:\n        other.drop_column('c')", "unmirrored-downgrade", false);
    row("batch alias unmirrored", "    with op.batch_alter_table('t') as tbl:\n        tbl.add_column(sa.Column('c', sa.Text()))",
        "    with op.batch_alter_table('t') as other:\n        other.drop_column('d')", "unmirrored-downgrade", true);
    row("batch alias irreversible", "    with op.batch_alter_table('t') as x:\n        x.drop_column('c')", "    pass",
        "irreversible-downgrade", true);
    row("name outside its batch", "    with op.batch_alter_table('t') as b:\n        pass\n    b.drop_column('c')", "    pass",
        "drop-column", false);
    row("offline guarded", "    if context.is_offline_mode():\n        return\n    bind = op.get_bind()", "    pass", "offline-unsafe", false);
}

void tst_Lints::rules()
{
    QFETCH(QByteArray, upgrade);
    QFETCH(QByteArray, downgrade);
    QFETCH(QByteArray, header);
    QFETCH(QString, rule);
    QFETCH(bool, fires);
    const QStringList got = rulesOf(upgrade, downgrade, header);
    QVERIFY2(got.contains(rule) == fires, qPrintable(QStringLiteral("%1 %2 in %3").arg(rule, fires ? "missing" : "unexpected", got.join(QLatin1Char(',')))));
    if (fires)
        m_covered.insert(rule);
}

void tst_Lints::everyRuleHasACase()
{
    QVERIFY(rulesOf("    pass", "    pass", {}, QStringLiteral("empty message")).contains(QStringLiteral("default-message")));
    QVERIFY(!rulesOf("    pass", "    pass", {}, QStringLiteral("add users")).contains(QStringLiteral("default-message")));
    m_covered.insert(QStringLiteral("default-message"));
    m_covered.insert(QStringLiteral("multiple-heads")); // structural: covered in tst_revisionmap / tst_workbench
    for (const LintRule &r : lintRules())
        QVERIFY2(m_covered.contains(r.id), qPrintable(r.id + QStringLiteral(" has no triggering case")));
}

void tst_Lints::suppressionAndConfig()
{
    QVERIFY(!rulesOf("    op.drop_table('legacy')  # retort: ignore[drop-table]", "    op.create_table('legacy')").contains(QStringLiteral("drop-table")));
    QVERIFY(!rulesOf("    # retort: ignore[drop-table, drop-column]\n    op.drop_table('legacy')", "    op.create_table('legacy')")
                 .contains(QStringLiteral("drop-table")));
    QVERIFY(rulesOf("    op.drop_table('legacy')  # retort: ignore[drop-column]", "    op.create_table('legacy')").contains(QStringLiteral("drop-table")));

    QTemporaryDir dir;
    QFile ini(dir.filePath(QStringLiteral("alembic.ini")));
    QVERIFY(ini.open(QIODevice::WriteOnly));
    ini.write("[alembic]\nscript_location = %(here)s/m\n\n[retort]\ndisable = drop-table, default-message\n");
    ini.close();
    QFile toml(dir.filePath(QStringLiteral("retort.toml")));
    QVERIFY(toml.open(QIODevice::WriteOnly));
    toml.write("[lints]\ndisable = [\"offline-unsafe\"]\n");
    toml.close();
    QDir().mkpath(dir.filePath(QStringLiteral("m/versions")));
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg);
    QCOMPARE(disabledRules(*cfg), (QSet<QString>{QStringLiteral("drop-table"), QStringLiteral("default-message"),
                                                 QStringLiteral("offline-unsafe")}));
}

void tst_Lints::exampleIsClean()
{
    auto cfg = ProjectConfig::open(QStringLiteral(RETORT_SOURCE_DIR "/examples/coffee-shop"));
    QVERIFY(cfg);
    auto project = ScriptDirectory::load(*cfg);
    QVERIFY(project);
    const QList<Diagnostic> lints = lintProject(*project);
    QStringList messages;
    for (const Diagnostic &d : lints)
        messages.append(d.message);
    QVERIFY2(lints.isEmpty(), qPrintable(messages.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(tst_Lints)
#include "tst_lints.moc"
