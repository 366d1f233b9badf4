#pragma once
// Real git repositories in a temp dir, built with the git command line, holding a small
// Alembic project (alembic.ini + alembic/versions). Every git call must succeed.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace testsupport {

class GitFixture
{
public:
    GitFixture()
    {
        m_root = m_tmp.path() + QStringLiteral("/repo");
        QDir().mkpath(m_root + QStringLiteral("/alembic/versions"));
        write(QStringLiteral("alembic.ini"),
              "[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///app.db\n\n"
              "[loggers]\nkeys = root\n[handlers]\nkeys = console\n[formatters]\nkeys = generic\n"
              "[logger_root]\nlevel = WARN\nhandlers = console\n[handler_console]\nclass = StreamHandler\n"
              "args = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n[formatter_generic]\nformat = %(message)s\n");
        write(QStringLiteral("alembic/env.py"),
              "from alembic import context\nfrom sqlalchemy import engine_from_config, pool\n\n"
              "config = context.config\n\n"
              "def run_migrations_offline():\n"
              "    context.configure(url=config.get_main_option('sqlalchemy.url'), literal_binds=True)\n"
              "    with context.begin_transaction():\n        context.run_migrations()\n\n"
              "def run_migrations_online():\n"
              "    engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.',\n"
              "                                poolclass=pool.NullPool)\n"
              "    with engine.connect() as connection:\n"
              "        context.configure(connection=connection)\n"
              "        with context.begin_transaction():\n            context.run_migrations()\n\n"
              "if context.is_offline_mode():\n    run_migrations_offline()\nelse:\n    run_migrations_online()\n");
        write(QStringLiteral("alembic/script.py.mako"),
              "\"\"\"${message}\n\nRevision ID: ${up_revision}\nRevises: ${down_revision | comma,n}\n"
              "Create Date: ${create_date}\n\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
              "revision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n"
              "branch_labels = ${repr(branch_labels)}\ndepends_on = ${repr(depends_on)}\n\n\n"
              "def upgrade() -> None:\n    ${upgrades if upgrades else \"pass\"}\n\n\n"
              "def downgrade() -> None:\n    ${downgrades if downgrades else \"pass\"}\n");
        write(QStringLiteral(".gitignore"), "__pycache__/\n*.db\n");
        git({QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")});
    }

    QString root() const { return m_root; }
    QString versions() const { return m_root + QStringLiteral("/alembic/versions"); }

    // Runs git in the repository (or `cwd`), failing the test when git fails.
    QString git(const QStringList &args, const QString &cwd = {}) const
    {
        int code = 0;
        const QString out = gitCode(args, &code, cwd);
        if (code != 0)
            m_failed = true;
        return out;
    }
    // Runs git where failing is an answer (a merge that conflicts); returns stdout.
    QString gitCode(const QStringList &args, int *code, const QString &cwd = {}) const
    {
        QProcess p;
        p.setWorkingDirectory(cwd.isEmpty() ? m_root : cwd);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_tmp.path());
        env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
        env.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Test"));
        env.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("test@example.invalid"));
        env.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Test"));
        env.insert(QStringLiteral("GIT_COMMITTER_EMAIL"), QStringLiteral("test@example.invalid"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("git"), args);
        p.waitForFinished(60000);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        *code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        if (*code != 0)
            qWarning("git %s: exit %d: %s%s", qPrintable(args.join(QLatin1Char(' '))), *code, qPrintable(out),
                     p.readAllStandardError().constData());
        return out.trimmed();
    }
    bool failed() const { return m_failed; }

    void write(const QString &relative, const QByteArray &bytes) const
    {
        const QString path = m_root + QLatin1Char('/') + relative;
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            m_failed = true;
        f.write(bytes);
    }
    QByteArray read(const QString &relative) const
    {
        QFile f(m_root + QLatin1Char('/') + relative);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // A revision file the way `alembic revision` writes it.
    static QByteArray revisionSource(const QString &id, const QString &down, const QString &message,
                                     const QString &upgradeBody = QStringLiteral("pass"))
    {
        const QString downRepr = down.isEmpty() ? QStringLiteral("None") : QStringLiteral("'%1'").arg(down);
        return QStringLiteral("\"\"\"%1\n\nRevision ID: %2\nRevises: %3\nCreate Date: 2026-12-01 09:00:00.000000\n\n\"\"\"\n"
                              "from alembic import op\nimport sqlalchemy as sa\n\n\n"
                              "# revision identifiers, used by Alembic.\n"
                              "revision = '%2'\ndown_revision = %4\nbranch_labels = None\ndepends_on = None\n\n\n"
                              "def upgrade() -> None:\n    %5\n\n\n"
                              "def downgrade() -> None:\n    pass\n")
            .arg(message, id, down, downRepr, upgradeBody)
            .toUtf8();
    }
    static QString fileName(const QString &id, const QString &slug) { return id + QLatin1Char('_') + slug + QStringLiteral(".py"); }

    void addRevision(const QString &id, const QString &down, const QString &slug,
                     const QString &upgradeBody = QStringLiteral("pass")) const
    {
        write(QStringLiteral("alembic/versions/") + fileName(id, slug), revisionSource(id, down, slug, upgradeBody));
    }

    void commitAll(const QString &message) const
    {
        git({QStringLiteral("add"), QStringLiteral("-A")});
        git({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), message});
    }

    // The revisions of the two-branch repository (buildFork) that the git tests start from.
    static inline const QString kBase = QStringLiteral("aaaa00000001");
    static inline const QString kParent = QStringLiteral("1e0b7a000002");
    static inline const QString kMains = QStringLiteral("e41a00000003");
    static inline const QString kYours = QStringLiteral("5c1d00000004");

    // main: base <- 1e0b, committed.
    void commitBase() const
    {
        addRevision(kBase, {}, QStringLiteral("create_users"));
        addRevision(kParent, kBase, QStringLiteral("add_email"));
        commitAll(QStringLiteral("base"));
    }

    // The classic fork: feature branches off main; another pull request (e41a on 1e0b) lands
    // on main by fast-forward; feature adds 5c1d on 1e0b too. Leaves feature checked out.
    void buildFork() const
    {
        commitBase();
        git({QStringLiteral("branch"), QStringLiteral("feature")});
        git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("pr1")});
        addRevision(kMains, kParent, QStringLiteral("add_orders"));
        commitAll(QStringLiteral("orders"));
        git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
        git({QStringLiteral("merge"), QStringLiteral("-q"), QStringLiteral("--ff-only"), QStringLiteral("pr1")});
        git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("feature")});
        addRevision(kYours, kParent, QStringLiteral("yours"));
        commitAll(QStringLiteral("yours"));
    }

private:
    QTemporaryDir m_tmp;
    QString m_root;
    mutable bool m_failed = false;
};

} // namespace testsupport
