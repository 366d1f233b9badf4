#include "databases.h"

#include "background.h"
#include "db/connection.h"
#include "db/sqlurl.h"
#include "run/schemareplay.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

namespace retort::ui {

namespace {

// scheme://user:password@ — SqlUrl's own reading of the user-info part.
const QRegularExpression &userInfo()
{
    static const QRegularExpression re(QStringLiteral("^([\\w+]+://)([^:/@]*)(?::([^@]*))?@"));
    return re;
}

// The URL without its password, and the password (percent-decoded).
std::pair<QString, QString> splitPassword(const QString &url)
{
    const auto m = userInfo().match(url.trimmed());
    if (!m.hasMatch() || m.captured(3).isEmpty())
        return {url.trimmed(), QString()};
    const QString rest = url.trimmed().mid(m.capturedEnd());
    return {m.captured(1) + m.captured(2) + QLatin1Char('@') + rest, QUrl::fromPercentEncoding(m.captured(3).toUtf8())};
}

QString insertPassword(const QString &url, const QString &password)
{
    if (password.isEmpty())
        return url;
    // SQLAlchemy quotes ':', '@', '/' and '%' in passwords.
    const QString quoted = QString::fromUtf8(QUrl::toPercentEncoding(password, "!$&'()*+,;=-._~"));
    const auto m = userInfo().match(url);
    if (m.hasMatch())
        return m.captured(1) + m.captured(2) + QLatin1Char(':') + quoted + QLatin1Char('@') + url.mid(m.capturedEnd());
    const qsizetype scheme = url.indexOf(QStringLiteral("://"));
    if (scheme < 0)
        return url;
    return url.left(scheme + 3) + QLatin1Char(':') + quoted + QLatin1Char('@') + url.mid(scheme + 3);
}

bool isSqlite(const QString &url)
{
    const auto parsed = core::SqlUrl::parse(url);
    return parsed && parsed->isSqlite();
}

QString maskedUrl(const QString &url)
{
    const auto parsed = core::SqlUrl::parse(url);
    return parsed ? parsed->masked() : core::maskPasswords(url);
}

QString reportText(const core::DriftReport &r)
{
    const QString at = r.recorded.isEmpty() ? QObject::tr("no revision (base)") : r.recorded.join(QStringLiteral(", "));
    if (!r.hasDrift())
        return QObject::tr("No drift: the schema of %1 is the one the migrations give at %2.\n").arg(r.url, at);
    QString text = QObject::tr("%1 is recorded at %2, but its schema differs from the one the migrations give there\n"
                               "(+ only in the database, - only in the migrations, ~ changed):\n\n")
                       .arg(r.url, at);
    for (const core::SchemaChange &c : r.changes)
        text += QStringLiteral("  ") + c.text() + QLatin1Char('\n');
    const QStringList hand = r.handMade();
    if (!hand.isEmpty())
        text += QObject::tr("\nMade outside the migrations: %1.\n").arg(hand.join(QStringLiteral(", ")));
    text += QLatin1Char('\n') + r.advice().join(QLatin1Char('\n')) + QLatin1Char('\n');
    text += QObject::tr("\nReplayed on a %1, removed afterwards; the database itself was only read.\n").arg(r.scratch);
    return text;
}

QSet<QString> appliedUnder(const core::Project &project, const QStringList &heads)
{
    QSet<QString> applied;
    const core::RevisionMap &map = project.map;
    for (const QString &head : heads) {
        const int i = map.indexOf(head);
        if (i < 0)
            continue;
        for (int a : map.ancestors(i, true))
            applied.insert(map.at(a).id);
    }
    return applied;
}


const QString kIniName = QStringLiteral("alembic.ini");

// The "connections" array of the settings' current group.
QList<DatabaseConnection> readConnections(QSettings &s)
{
    QList<DatabaseConnection> out;
    const int n = s.beginReadArray(QStringLiteral("connections"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        DatabaseConnection c;
        c.name = s.value(QStringLiteral("name")).toString();
        c.url = s.value(QStringLiteral("url")).toString();
        c.xArgs = s.value(QStringLiteral("xArgs")).toStringList();
        c.production = s.value(QStringLiteral("production")).toBool();
        if (!c.name.isEmpty())
            out.append(c);
    }
    s.endArray();
    return out;
}

} // namespace

Databases::Databases(QObject *parent) : QObject(parent) {}

Databases::~Databases()
{
    for (const auto &cancel : std::as_const(m_driftCancel))
        cancel->store(true);
}

QString Databases::shortName(const QString &name)
{
    if (name == kIniName)
        return QStringLiteral("ini");
    const QStringList words = name.split(QRegularExpression(QStringLiteral("[\\s_.-]+")), Qt::SkipEmptyParts);
    if (words.size() > 1) {
        QString initials;
        for (const QString &w : words.mid(0, 4))
            initials += w.front().toUpper();
        return initials;
    }
    return name.size() <= 5 ? name : name.left(4);
}

QString Databases::settingsGroup(const core::Project *project)
{
    if (!project)
        return {};
    const core::ProjectConfig &cfg = project->config;
    const QString anchor = cfg.iniPath.isEmpty() ? cfg.tomlPath : cfg.iniPath;
    return QStringLiteral("databases/") + QString::fromLatin1(anchor.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void Databases::setProject(std::shared_ptr<const core::Project> project)
{
    const bool otherProject = !m_project || !project || settingsGroup(m_project.get()) != settingsGroup(project.get());
    const bool otherFolder = !m_project || !project || m_project->config.baseDir != project->config.baseDir;
    m_project = std::move(project);
    if (m_project) {
        // The same heads may stand for other revisions in the new snapshot.
        for (DatabaseStatus &st : m_status)
            st.applied = appliedUnder(*m_project, st.heads);
    }
    if (otherFolder)
        m_alembic.reset();
    if (otherProject) {
        for (const auto &cancel : std::as_const(m_driftCancel))
            cancel->store(true);
        m_driftCancel.clear();
        m_driftQueue.clear();
        m_driftRunning.clear();
        m_status.clear();
        m_passwords.clear();
        m_driftKey.clear();
        m_asked.clear();
        ++m_nextGeneration;
        m_readGeneration.clear();
        m_driftGeneration.clear();
    }
    load();
}

void Databases::load()
{
    const QList<DatabaseConnection> before = m_connections;
    const QString activeBefore = m_active;
    m_connections.clear();
    if (m_project) {
        const core::ProjectConfig &cfg = m_project->config;
        QSettings s;
        s.beginGroup(settingsGroup(m_project.get()));
        const QString anchor = cfg.iniPath.isEmpty() ? cfg.tomlPath : cfg.iniPath;
        if (!cfg.sqlalchemyUrl.isEmpty()) {
            DatabaseConnection ini;
            ini.name = kIniName;
            ini.url = cfg.sqlalchemyUrl;
            ini.fromIni = true;
            // The Run dock's production switch for the project's own URL is this flag too.
            ini.production = QSettings().value(QStringLiteral("production/") + anchor).toBool();
            ini.xArgs = s.value(QStringLiteral("iniXArgs")).toStringList();
            m_connections.append(ini);
        }
        const bool known = s.contains(QStringLiteral("connections/size"));
        for (const DatabaseConnection &c : readConnections(s))
            if (indexOf(c.name) < 0)
                m_connections.append(c);
        m_active = s.value(QStringLiteral("active")).toString();
        s.endGroup();
        if (!known) {
            // Connections the Schema dock saved before they were per project.
            QSettings legacy;
            for (const DatabaseConnection &c : readConnections(legacy))
                if (indexOf(c.name) < 0)
                    m_connections.append(c);
        }
        if (indexOf(m_active) < 0)
            m_active = m_connections.isEmpty() ? QString() : m_connections.first().name;
    } else {
        m_active.clear();
    }
    // Statuses of connections that are gone (or whose URL changed) go too.
    for (auto it = m_status.begin(); it != m_status.end();) {
        const auto c = connection(it.key());
        const auto old = std::find_if(before.cbegin(), before.cend(), [&](const DatabaseConnection &b) { return b.name == it.key(); });
        if (!c || (old != before.cend() && old->url != c->url)) {
            ++m_readGeneration[it.key()]; // an answer in flight is about the old URL
            it = m_status.erase(it);
        }
        else
            ++it;
    }
    if (m_connections != before)
        emit connectionsChanged();
    if (m_active != activeBefore)
        emit activeChanged(m_active);
}

void Databases::save() const
{
    if (!m_project)
        return;
    QSettings s;
    s.beginGroup(settingsGroup(m_project.get()));
    s.remove(QStringLiteral("connections"));
    s.beginWriteArray(QStringLiteral("connections"));
    int i = 0;
    for (const DatabaseConnection &c : m_connections) {
        if (c.fromIni)
            continue;
        s.setArrayIndex(i++);
        s.setValue(QStringLiteral("name"), c.name);
        s.setValue(QStringLiteral("url"), splitPassword(c.url).first);
        s.setValue(QStringLiteral("xArgs"), c.xArgs);
        s.setValue(QStringLiteral("production"), c.production);
    }
    s.endArray();
    for (const DatabaseConnection &c : m_connections) {
        if (!c.fromIni)
            continue;
        s.setValue(QStringLiteral("iniXArgs"), c.xArgs);
        const core::ProjectConfig &cfg = m_project->config;
        QSettings().setValue(QStringLiteral("production/") + (cfg.iniPath.isEmpty() ? cfg.tomlPath : cfg.iniPath), c.production);
    }
    s.setValue(QStringLiteral("active"), m_active);
    s.endGroup();
}

int Databases::indexOf(const QString &name) const
{
    for (qsizetype i = 0; i < m_connections.size(); ++i)
        if (m_connections[i].name == name)
            return int(i);
    return -1;
}

std::optional<DatabaseConnection> Databases::connection(const QString &name) const
{
    const int i = indexOf(name);
    if (i < 0)
        return std::nullopt;
    return m_connections[i];
}

const DatabaseStatus &Databases::status(const QString &name) const
{
    static const DatabaseStatus none;
    const auto it = m_status.constFind(name);
    return it == m_status.cend() ? none : *it;
}

bool Databases::setActive(const QString &name)
{
    if (indexOf(name) < 0)
        return false;
    if (name != m_active) {
        m_active = name;
        save();
        emit activeChanged(name);
    }
    read(name, true);
    return true;
}

QString Databases::add(const DatabaseConnection &in, const QString &password)
{
    if (!m_project)
        return tr("Open a project first: connections belong to a project.");
    DatabaseConnection c = in;
    c.name = c.name.trimmed();
    c.fromIni = false;
    if (c.name.isEmpty())
        return tr("A connection needs a name.");
    if (indexOf(c.name) >= 0 || c.name == kIniName)
        return tr("There is already a connection named %1.").arg(c.name);
    auto [url, typed] = splitPassword(c.url);
    if (auto parsed = core::SqlUrl::parse(url); !parsed)
        return parsed.error().message;
    c.url = url;
    m_connections.append(c);
    const QString pw = password.isEmpty() ? typed : password;
    if (!pw.isEmpty())
        m_passwords.insert(c.name, pw);
    save();
    emit connectionsChanged();
    return {};
}

QString Databases::edit(const QString &name, const DatabaseConnection &in)
{
    const int i = indexOf(name);
    if (i < 0)
        return tr("There is no connection named %1.").arg(name);
    DatabaseConnection c = in;
    c.name = c.name.trimmed();
    const DatabaseConnection old = m_connections[i];
    c.fromIni = old.fromIni;
    if (old.fromIni) {
        // Its name and URL come from the project's configuration.
        if ((c.name != old.name && !c.name.isEmpty()) || (!c.url.isEmpty() && splitPassword(c.url).first != old.url))
            return tr("%1 takes its URL from the project's configuration: edit sqlalchemy.url there, or add a connection "
                      "for another URL.").arg(old.name);
        c.name = old.name;
        c.url = old.url;
    } else {
        if (c.name.isEmpty())
            return tr("A connection needs a name.");
        if (c.name != name && (indexOf(c.name) >= 0 || c.name == kIniName))
            return tr("There is already a connection named %1.").arg(c.name);
        auto [url, typed] = splitPassword(c.url);
        if (auto parsed = core::SqlUrl::parse(url); !parsed)
            return parsed.error().message;
        c.url = url;
        if (!typed.isEmpty())
            m_passwords.insert(name, typed);
    }
    if (c == old)
        return {};
    const bool urlChanged = c.url != old.url;
    m_connections[i] = c;
    if (c.name != name) {
        if (m_passwords.contains(name))
            m_passwords.insert(c.name, m_passwords.take(name));
        if (m_status.contains(name))
            m_status.insert(c.name, m_status.take(name));
        m_driftKey.remove(name);
        m_readGeneration.remove(name);
        if (m_active == name)
            m_active = c.name;
    }
    if (urlChanged) {
        m_status.remove(c.name);
        m_driftKey.remove(c.name);
        ++m_readGeneration[c.name];
    }
    save();
    emit connectionsChanged();
    if (c.name != name && m_active == c.name)
        emit activeChanged(m_active);
    if (urlChanged) {
        emit statusChanged(c.name);
        read(c.name, c.name == m_active);
    } else if (c.xArgs != old.xArgs && m_status.contains(c.name)) {
        // Other -x arguments may give env.py another schema: the drift answer is stale, and a
        // connected database is read (and, as after every read, checked) again.
        m_driftKey.remove(c.name);
        m_status[c.name].drift = DriftResult();
        emit driftChanged(c.name);
        if (status(c.name).isConnected())
            read(c.name, false);
    }
    return {};
}

QString Databases::remove(const QString &name)
{
    const int i = indexOf(name);
    if (i < 0)
        return tr("There is no connection named %1.").arg(name);
    if (m_connections[i].fromIni)
        return tr("%1 is the project's own database (sqlalchemy.url): it cannot be removed.").arg(name);
    m_connections.removeAt(i);
    m_passwords.remove(name);
    m_status.remove(name);
    m_driftKey.remove(name);
    if (auto cancel = m_driftCancel.take(name))
        cancel->store(true);
    const bool wasActive = m_active == name;
    if (wasActive)
        m_active = m_connections.isEmpty() ? QString() : m_connections.first().name;
    save();
    emit connectionsChanged();
    emit statusChanged(name);
    if (wasActive) {
        emit activeChanged(m_active);
        if (!m_active.isEmpty())
            read(m_active, true);
    }
    return {};
}

void Databases::setPassword(const QString &name, const QString &password)
{
    if (password.isEmpty())
        m_passwords.remove(name);
    else
        m_passwords.insert(name, password);
}

QString Databases::urlWithPassword(const QString &name) const
{
    const auto c = connection(name);
    if (!c)
        return {};
    return insertPassword(c->url, m_passwords.value(name));
}

void Databases::refresh(bool forceDrift)
{
    for (const DatabaseConnection &c : std::as_const(m_connections)) {
        if (forceDrift)
            m_forceDrift.insert(c.name);
        // The active database asks for its password once per session by itself; the others
        // wait until a person chooses them.
        const bool ask = c.name == m_active && !m_asked.contains(c.name);
        read(c.name, ask);
    }
}

void Databases::read(const QString &name, bool interactive)
{
    const auto c = connection(name);
    if (!c || !m_project)
        return;
    if (interactive)
        m_asked.insert(name);
    const core::ProjectConfig &cfg = m_project->config;
    core::VersionTable::Options opt;
    opt.url = c->url;
    opt.workingDir = cfg.baseDir;
    opt.table = cfg.versionTable;
    opt.schema = cfg.versionTableSchema;
    opt.password = m_passwords.value(name);
    const quint64 generation = ++m_nextGeneration;
    m_readGeneration.insert(name, generation);
    DatabaseStatus &st = m_status[name];
    st.reading = true;
    emit statusChanged(name);
    runInBackground(this, [opt]() { return core::VersionTable::read(opt); },
                    [this, name, generation, interactive](core::Result<core::DatabasePosition> pos) {
                        finishRead(name, generation, interactive, pos);
                    });
}

bool Databases::cancelRead(const QString &name)
{
    const auto c = connection(name);
    auto it = m_status.find(name);
    if (!c || it == m_status.end() || !it->reading)
        return false;
    m_readGeneration.insert(name, ++m_nextGeneration);
    const auto url = core::SqlUrl::parse(c->url);
    DatabaseStatus &st = *it;
    st.reading = false;
    st.read = true;
    st.exists = false;
    st.tableExists = false;
    st.heads.clear();
    st.applied.clear();
    st.error = core::makeError(core::Error::Code::Timeout,
                               tr("Not connected to %1: not answering, given up before it answered.")
                                   .arg(url ? url->masked() : core::maskPasswords(c->url)));
    const bool testing = m_testing.remove(name);
    m_forceDrift.remove(name);
    emit statusChanged(name);
    if (testing)
        emit tested(name, false, st.error.message);
    return true;
}

void Databases::setCommittedHeads(const QString &name, const QStringList &heads)
{
    if (indexOf(name) < 0)
        return;
    DatabaseStatus &st = m_status[name];
    if (!st.read || st.error.isValid() || st.heads == heads)
        return; // not read (or unreachable): a step's move is no position to show
    ++m_readGeneration[name];
    st.reading = false;
    st.read = true;
    st.exists = true;
    st.tableExists = true;
    st.heads = heads;
    st.applied = m_project ? appliedUnder(*m_project, st.heads) : QSet<QString>();
    emit statusChanged(name);
}

void Databases::finishRead(const QString &name, quint64 generation, bool interactive,
                           const core::Result<core::DatabasePosition> &answer)
{
    if (m_readGeneration.value(name) != generation || indexOf(name) < 0)
        return; // overtaken by a newer read, an edit or another project
    DatabaseStatus &st = m_status[name];
    st.reading = false;
    st.read = true;
    const bool forceDrift = m_forceDrift.remove(name);
    if (answer) {
        st.error = core::Error();
        st.exists = answer->databaseExists;
        st.tableExists = answer->tableExists;
        st.heads = answer->heads;
        st.applied = m_project ? appliedUnder(*m_project, st.heads) : QSet<QString>();
    } else {
        st.error = answer.error();
        st.exists = false;
        st.tableExists = false;
        st.heads.clear();
        st.applied.clear();
        // Only the server's "wrong password" forgets the password; a dead server keeps it.
        if (core::isAuthenticationFailure(st.error))
            m_passwords.remove(name);
    }
    // A drift answer is about one position of one set of files.
    if (!st.isConnected()) {
        if (st.drift.state != DriftResult::State::Unchecked) {
            if (auto cancel = m_driftCancel.take(name))
                cancel->store(true);
            st.drift = DriftResult();
            st.drift.details = st.exists || st.error.isValid() ? st.error.message
                                                               : tr("There is no database yet: nothing to compare.");
            m_driftKey.remove(name);
            emit driftChanged(name);
        }
    } else if (m_driftKey.value(name) != driftKey(name) && st.drift.state != DriftResult::State::Checking) {
        st.drift = DriftResult();
        m_driftKey.remove(name);
        emit driftChanged(name);
    }
    const auto c = connection(name);
    const bool testing = m_testing.remove(name);
    emit statusChanged(name);
    if (testing) {
        QString line;
        if (!answer)
            line = answer.error().message;
        else if (!st.exists)
            line = tr("%1: no database there yet (an upgrade creates it).").arg(maskedUrl(c->url));
        else if (!st.tableExists)
            line = tr("%1: connected; no version table (nothing applied yet).").arg(maskedUrl(c->url));
        else if (st.heads.isEmpty())
            line = tr("%1: connected; the version table is empty (at base).").arg(maskedUrl(c->url));
        else
            line = tr("%1: connected; at %2.").arg(maskedUrl(c->url), st.heads.join(QStringLiteral(", ")));
        emit tested(name, bool(answer), line);
    }
    if (!answer && core::isAuthenticationFailure(answer.error()) && interactive)
        emit passwordRequired(name, answer.error());
    // On SQLite the check replays on a temporary file: it runs by itself (from the cache when
    // nothing changed). On a server it creates a scratch database there: only when asked.
    if (st.isConnected() && isSqlite(c->url))
        checkDrift(name, forceDrift);
}

void Databases::test(const QString &name)
{
    if (indexOf(name) < 0)
        return;
    m_testing.insert(name);
    read(name, true);
}

QString Databases::driftKey(const QString &name) const
{
    const auto c = connection(name);
    if (!c || !m_project)
        return {};
    QCryptographicHash h(QCryptographicHash::Sha1);
    h.addData(c->url.toUtf8());
    h.addData(c->xArgs.join(QChar(0)).toUtf8()); // env.py may build its schema from them
    h.addData("|");
    QStringList heads = status(name).heads;
    heads.sort();
    h.addData(heads.join(QLatin1Char(',')).toUtf8());
    for (const core::RevisionFile &f : m_project->map.files()) {
        h.addData(f.path.toUtf8());
        h.addData(QByteArray::number(qulonglong(f.contentHash)));
    }
    return QString::fromLatin1(h.result().toHex());
}

void Databases::checkDrift(const QString &name, bool force)
{
    const auto c = connection(name);
    if (!c || !m_project)
        return;
    DatabaseStatus &st = m_status[name];
    if (!st.isConnected()) {
        st.drift = DriftResult();
        st.drift.state = DriftResult::State::Unknown;
        st.drift.details = st.error.isValid() ? st.error.message
                           : st.read     ? tr("There is no database yet: nothing to compare.")
                                         : tr("Not read yet: connect first.");
        emit driftChanged(name);
        return;
    }
    const QString key = driftKey(name);
    if (!force && m_driftKey.value(name) == key
        && (st.drift.state == DriftResult::State::NoDrift || st.drift.state == DriftResult::State::Drift
            || st.drift.state == DriftResult::State::Checking))
        return; // the answer for these files at this position is on screen (or on its way)
    // One replay at a time: on a two-core machine several at once starve the version-table
    // reads the window waits for. The active database goes first.
    if (auto old = m_driftCancel.take(name))
        old->store(true); // a replay of this one in flight answers for an old position
    m_driftKey.insert(name, key);
    m_driftGeneration.insert(name, ++m_nextGeneration);
    m_driftQueue.removeAll(name);
    if (name == m_active)
        m_driftQueue.prepend(name);
    else
        m_driftQueue.append(name);
    st.drift = DriftResult();
    st.drift.state = DriftResult::State::Checking;
    st.drift.details = tr("Replaying the migrations on a scratch database…");
    emit driftChanged(name);
    startNextDrift();
}

void Databases::startNextDrift()
{
    if (!m_driftRunning.isEmpty() || !m_project)
        return;
    while (!m_driftQueue.isEmpty()) {
        const QString name = m_driftQueue.takeFirst();
        if (indexOf(name) < 0 || !status(name).isConnected() || status(name).drift.state != DriftResult::State::Checking)
            continue;
        auto cancel = std::make_shared<std::atomic<bool>>(false);
        m_driftCancel.insert(name, cancel);
        const quint64 generation = m_driftGeneration.value(name);
        m_driftRunning = name;
        m_driftRunningGeneration = generation;
        const auto project = m_project;
        const std::optional<core::AlembicCommand> known = m_alembic;
        const QString configured = QSettings().value(QStringLiteral("run/alembic")).toString();
        const QString url = urlWithPassword(name);
        const QStringList xArgs = connection(name)->xArgs;
        runInBackground(
            this,
            [project, known, configured, cancel, url, xArgs] {
                DriftAnswer a;
                if (cancel->load())
                    return a;
                a.alembic = known ? core::Result<core::AlembicCommand>(*known)
                                  : core::AlembicLocator::locate(project->config.baseDir, configured);
                if (!a.alembic || cancel->load())
                    return a;
                core::DriftCheck check(*project, *a.alembic);
                check.setUrl(url);
                check.setXArguments(xArgs);
                check.setCancelFlag(cancel.get());
                a.report = check.run();
                return a;
            },
            [this, name, generation](DriftAnswer a) { finishDrift(name, generation, a); });
        return;
    }
}

void Databases::finishDrift(const QString &name, quint64 generation, const DriftAnswer &a)
{
    if (generation == m_driftRunningGeneration)
        m_driftRunning.clear();
    if (m_driftGeneration.value(name) == generation && indexOf(name) >= 0) {
        m_driftCancel.remove(name);
        DriftResult r;
        if (!a.alembic) {
            r.state = DriftResult::State::Unknown;
            r.details = a.alembic.error().message;
        } else {
            m_alembic = *a.alembic;
            if (!a.report) {
                r.state = DriftResult::State::Unknown;
                r.details = a.report.error().message;
            } else {
                r.state = a.report->hasDrift() ? DriftResult::State::Drift : DriftResult::State::NoDrift;
                r.differences = int(a.report->changes.size());
                r.details = reportText(*a.report);
                r.handMade = a.report->handMade();
            }
        }
        if (r.state == DriftResult::State::Unknown)
            m_driftKey.remove(name); // asked again, it is computed again
        m_status[name].drift = r;
        emit driftChanged(name);
    }
    startNextDrift();
}

} // namespace retort::ui
