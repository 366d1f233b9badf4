#include "alembicflavor.h"

#include "run/virtualenvs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QRegularExpression>
#include <QStandardPaths>

#include <optional>

namespace retort::core {

namespace {

QByteArray readSmall(const QString &path, qint64 limit = 65536)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(limit);
}

// `__version__ = "1.13.2"` in a package's __init__.py.
QVersionNumber packageVersion(const QString &siteDir, const char *package)
{
    const QByteArray text = readSmall(siteDir + QLatin1Char('/') + QLatin1String(package) + QStringLiteral("/__init__.py"));
    if (text.isEmpty())
        return {};
    static const QRegularExpression re(QStringLiteral("^__version__\\s*(?::\\s*str\\s*)?=\\s*['\"]([0-9][^'\"]*)['\"]"),
                                       QRegularExpression::MultilineOption);
    const auto m = re.match(QString::fromUtf8(text));
    return m.hasMatch() ? QVersionNumber::fromString(m.captured(1)) : QVersionNumber();
}

// "python3.13" -> 3.13
QVersionNumber versionFromName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^python(\\d+\\.\\d+)"));
    const auto m = re.match(name);
    return m.hasMatch() ? QVersionNumber::fromString(m.captured(1)) : QVersionNumber();
}

struct Interpreter
{
    QString path;
    QVersionNumber version;
    QStringList siteDirs; // in sys.path order
};

// What a program runs on: itself when it is a python, else its #! line's interpreter.
QString interpreterOf(const QString &program)
{
    const QFileInfo info(program);
    if (info.fileName().startsWith(QLatin1String("python")))
        return program;
    const QByteArray head = readSmall(program, 512);
    if (!head.startsWith("#!"))
        return {};
    QStringList words = QString::fromUtf8(head.mid(2, head.indexOf('\n') - 2)).simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return {};
    QString interp = words.takeFirst();
    if (QFileInfo(interp).fileName() == QLatin1String("env")) {
        while (!words.isEmpty() && words.first().startsWith(QLatin1Char('-')))
            words.removeFirst();
        if (words.isEmpty())
            return {};
        interp = QStandardPaths::findExecutable(words.first());
    }
    if (interp.isEmpty() || !QFileInfo(interp).fileName().startsWith(QLatin1String("python")))
        return {};
    return interp;
}

Interpreter describeInterpreter(const QString &path)
{
    Interpreter in;
    in.path = path;
    const QFileInfo info(path);
    const QString real = info.canonicalFilePath();
    if (real.isEmpty())
        return in;
    in.version = versionFromName(QFileInfo(real).fileName());
    if (in.version.isNull())
        in.version = versionFromName(info.fileName());

    // A virtualenv: <venv>/bin/python with <venv>/pyvenv.cfg.
    const QString venv = QDir::cleanPath(info.absolutePath() + QStringLiteral("/.."));
    const QByteArray cfg = readSmall(venv + QStringLiteral("/pyvenv.cfg"));
    bool systemSite = true;
    if (!cfg.isEmpty()) {
        systemSite = false;
        for (const QByteArray &raw : cfg.split('\n')) {
            const int eq = raw.indexOf('=');
            if (eq < 0)
                continue;
            const QByteArray key = raw.left(eq).trimmed();
            const QByteArray value = raw.mid(eq + 1).trimmed();
            if ((key == "version" || key == "version_info") && in.version.isNull())
                in.version = QVersionNumber::fromString(QString::fromUtf8(value));
            else if (key == "include-system-site-packages")
                systemSite = value.toLower() == "true";
        }
        const QString lib = venv + QStringLiteral("/lib");
        for (const QString &py : QDir(lib).entryList({QStringLiteral("python*")}, QDir::Dirs))
            in.siteDirs.append(lib + QLatin1Char('/') + py + QStringLiteral("/site-packages"));
    }
    if (systemSite && !in.version.isNull()) {
        const QString xy = QStringLiteral("python%1.%2").arg(in.version.majorVersion()).arg(in.version.minorVersion());
        const QString prefix = QDir::cleanPath(QFileInfo(real).absolutePath() + QStringLiteral("/.."));
        in.siteDirs.append(QDir::homePath() + QStringLiteral("/.local/lib/") + xy + QStringLiteral("/site-packages"));
        in.siteDirs.append(prefix + QStringLiteral("/local/lib/") + xy + QStringLiteral("/dist-packages"));
        in.siteDirs.append(prefix + QStringLiteral("/lib/python3/dist-packages"));
        in.siteDirs.append(prefix + QStringLiteral("/lib/") + xy + QStringLiteral("/dist-packages"));
        in.siteDirs.append(prefix + QStringLiteral("/lib/") + xy + QStringLiteral("/site-packages"));
    }
    return in;
}

// The flavor of one candidate, or nothing when its Python has no Alembic.
std::optional<AlembicFlavor> candidate(const QString &program)
{
    if (!QFileInfo(program).isExecutable())
        return std::nullopt;
    const QString interp = interpreterOf(program);
    if (interp.isEmpty())
        return std::nullopt;
    const Interpreter in = describeInterpreter(interp);
    for (const QString &site : in.siteDirs) {
        const QVersionNumber alembic = packageVersion(site, "alembic");
        if (alembic.isNull())
            continue;
        AlembicFlavor f = AlembicFlavor::newest();
        f.alembic = alembic;
        if (!in.version.isNull())
            f.python = in.version;
        for (const QString &s : in.siteDirs) {
            const QVersionNumber sa = packageVersion(s, "sqlalchemy");
            if (!sa.isNull()) {
                f.sqlalchemy = sa;
                break;
            }
        }
        f.interpreter = in.path;
        return f;
    }
    return std::nullopt;
}

AlembicFlavor withOverrides(AlembicFlavor f, const QString &spec)
{
    for (const QString &part : spec.split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts)) {
        const QString key = part.section(QLatin1Char('='), 0, 0).trimmed().toLower();
        const QVersionNumber v = QVersionNumber::fromString(part.section(QLatin1Char('='), 1));
        if (v.isNull())
            continue;
        if (key == QLatin1String("alembic"))
            f.alembic = v;
        else if (key == QLatin1String("python"))
            f.python = v;
        else if (key == QLatin1String("sqlalchemy"))
            f.sqlalchemy = v;
    }
    return f;
}

AlembicFlavor detect(const QString &projectDir)
{
    // The locator's order (core/run/alembiclocator.cpp): virtualenvs in or above the project,
    // alembic on PATH, python3 -m alembic.
    for (const QString &bin : virtualenvBinDirs(projectDir))
        for (const char *program : {"alembic", "python"})
            if (auto f = candidate(bin + QLatin1String(program)))
                return *f;
    for (const QString &program : {QStandardPaths::findExecutable(QStringLiteral("alembic")),
                                   QStandardPaths::findExecutable(QStringLiteral("python3")), QStringLiteral("/usr/bin/python3")}) {
        if (program.isEmpty())
            continue;
        if (auto f = candidate(program))
            return *f;
    }
    return AlembicFlavor::newest();
}

} // namespace

QString AlembicFlavor::describe() const
{
    return QStringLiteral("Alembic %1 on Python %2, SQLAlchemy %3%4")
        .arg(alembic.toString(), python.toString(), sqlalchemy.toString(),
             interpreter.isEmpty() ? QStringLiteral(" (assumed)") : QStringLiteral(" (%1)").arg(interpreter));
}

AlembicFlavor AlembicFlavor::newest()
{
    AlembicFlavor f;
    f.alembic = QVersionNumber(1, 13, 2);
    f.python = QVersionNumber(3, 13);
    f.sqlalchemy = QVersionNumber(2, 0);
    return f;
}

AlembicFlavor AlembicFlavor::fromProgram(const QString &program)
{
    AlembicFlavor f = candidate(program).value_or(newest());
    const QString spec = qEnvironmentVariable("RETORT_ALEMBIC_FLAVOR");
    return spec.isEmpty() ? f : withOverrides(f, spec);
}

AlembicFlavor AlembicFlavor::forProject(const QString &projectDir)
{
    static QMutex mutex;
    static QHash<QString, AlembicFlavor> cache;
    const QString spec = qEnvironmentVariable("RETORT_ALEMBIC_FLAVOR");
    const QString key = projectDir + QLatin1Char('\n') + spec;
    {
        QMutexLocker lock(&mutex);
        const auto it = cache.constFind(key);
        if (it != cache.constEnd())
            return *it;
    }
    AlembicFlavor f = detect(projectDir);
    if (!spec.isEmpty())
        f = withOverrides(f, spec);
    QMutexLocker lock(&mutex);
    cache.insert(key, f);
    return f;
}

QString cleanDocstring(const QString &doc)
{
    // str.expandtabs(8): columns count code points and restart after \n and \r.
    QString expanded;
    if (doc.contains(QLatin1Char('\t'))) {
        expanded.reserve(doc.size() + 16);
        int column = 0;
        for (const QChar c : doc) {
            if (c == QLatin1Char('\t')) {
                const int spaces = 8 - column % 8;
                expanded.append(QString(spaces, QLatin1Char(' ')));
                column += spaces;
                continue;
            }
            expanded.append(c);
            if (c == QLatin1Char('\n') || c == QLatin1Char('\r'))
                column = 0;
            else if (!c.isLowSurrogate())
                ++column;
        }
    }
    // One pass over the lines in place (every revision file has a docstring to clean).
    const QString &text = expanded.isNull() ? doc : expanded;
    const QChar *s = text.constData();
    const qsizetype size = text.size();
    qsizetype firstEnd = text.indexOf(QLatin1Char('\n'));
    if (firstEnd < 0)
        firstEnd = size;
    // The margin: the fewest leading spaces of a line after the first that has anything else.
    qsizetype margin = -1;
    for (qsizetype p = firstEnd; p < size;) {
        const qsizetype lineStart = p + 1;
        qsizetype q = lineStart;
        while (q < size && s[q] == QLatin1Char(' '))
            ++q;
        if (q < size && s[q] != QLatin1Char('\n'))
            margin = margin < 0 ? q - lineStart : std::min(margin, q - lineStart);
        p = text.indexOf(QLatin1Char('\n'), q);
        if (p < 0)
            break;
    }
    if (margin < 0)
        margin = 0;
    qsizetype lead = 0;
    while (lead < firstEnd && s[lead] == QLatin1Char(' '))
        ++lead;
    if (lead == 0 && margin == 0)
        return text;
    QString out;
    out.reserve(size);
    out.append(QStringView(s + lead, firstEnd - lead));
    for (qsizetype p = firstEnd; p < size;) {
        out.append(QLatin1Char('\n'));
        const qsizetype lineStart = p + 1;
        qsizetype e = text.indexOf(QLatin1Char('\n'), lineStart);
        if (e < 0)
            e = size;
        qsizetype k = lineStart;
        while (k < e && k - lineStart < margin && s[k] == QLatin1Char(' '))
            ++k;
        out.append(QStringView(s + k, e - k));
        p = e;
    }
    return out;
}

} // namespace retort::core
