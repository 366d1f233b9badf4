#include "reparent.h"

#include "project/revisionfile.h"

#include <QRegularExpression>

#include <algorithm>

namespace retort::core {

namespace {

RevisionFile parse(const QString &source, const QString &path, python::PythonVersion version)
{
    const QByteArray utf8 = source.toUtf8();
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return parseRevisionSource(std::string_view(utf8.constData(), size_t(utf8.size())), path,
                               slash >= 0 ? path.mid(slash + 1) : path, version);
}

} // namespace

Result<QString> reparentSource(const QString &source, const QString &path, const QString &oldParent,
                               const QString &newParent, python::PythonVersion version)
{
    const RevisionFile before = parse(source, path, version);
    if (!before.hasDownRevision || before.downRevisionLine <= 0) {
        return makeError(Error::Code::Parse, QStringLiteral("%1 has no down_revision to change.").arg(path), path);
    }
    QStringList expected = before.downRevision.toTuple();
    const qsizetype at = expected.indexOf(oldParent);
    if (at < 0) {
        return makeError(Error::Code::Revision,
                         QStringLiteral("%1 does not revise %2 (its down_revision is %3).")
                             .arg(path, oldParent, expected.isEmpty() ? QStringLiteral("None") : expected.join(QStringLiteral(", "))),
                         path, before.downRevisionLine);
    }
    expected[at] = newParent;

    // Lines keep their endings (CRLF files stay CRLF).
    QStringList lines = source.split(QLatin1Char('\n'));
    const QRegularExpression quoted(QStringLiteral("(['\"])%1\\1").arg(QRegularExpression::escape(oldParent)));
    bool changed = false;
    const qsizetype first = before.downRevisionLine - 1;
    for (qsizetype i = first; i < lines.size() && i < first + 30 && !changed; ++i) {
        QString &line = lines[i];
        qsizetype from = 0;
        if (i == first) {
            from = line.indexOf(QLatin1String("down_revision"));
            if (from < 0)
                from = 0;
        }
        const QRegularExpressionMatch m = quoted.match(line, from);
        if (m.hasMatch()) {
            const QString quote = m.captured(1);
            line.replace(m.capturedStart(), m.capturedLength(), quote + newParent + quote);
            changed = true;
        }
    }
    if (!changed) {
        return makeError(Error::Code::Parse,
                         QStringLiteral("%1:%2: down_revision does not spell %3 as a string; change it by hand.")
                             .arg(path, QString::number(before.downRevisionLine), oldParent),
                         path, before.downRevisionLine);
    }
    // The docstring's "Revises:" header, above the identifiers.
    const qsizetype docEnd = std::min<qsizetype>(first, before.revisionLine > 0 ? before.revisionLine - 1 : first);
    const QRegularExpression revises(QStringLiteral("^(\\s*Revises:)(.*)$"));
    const QRegularExpression word(QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(oldParent)));
    for (qsizetype i = 0; i < docEnd; ++i) {
        if (revises.match(lines[i]).hasMatch()) {
            lines[i].replace(word, newParent);
            break;
        }
    }
    const QString out = lines.join(QLatin1Char('\n'));
    const RevisionFile after = parse(out, path, version);
    if (!after.isUsable() || after.downRevision.toTuple() != expected || after.revision != before.revision) {
        return makeError(Error::Code::Parse,
                         QStringLiteral("%1: re-parenting onto %2 did not give a file that revises %3; change it by hand.")
                             .arg(path, newParent, expected.join(QStringLiteral(", "))),
                         path, before.downRevisionLine);
    }
    return out;
}

QString reparentRefusal(const RevisionMap &map, const QString &revision, const QString &databaseName,
                        const QStringList &databaseHeads)
{
    const int rev = map.indexOf(revision);
    if (rev == RevisionMap::None)
        return {};
    for (const QString &head : databaseHeads) {
        const int h = map.indexOf(head);
        if (h == RevisionMap::None)
            continue;
        const std::vector<int> applied = map.ancestors(h, true);
        if (std::find(applied.begin(), applied.end(), rev) != applied.end()) {
            return QStringLiteral("%1 has already applied %2 (it is at %3): re-parenting would change history that "
                                  "database recorded. Add a merge revision instead.")
                .arg(databaseName, revision, head);
        }
    }
    return {};
}

} // namespace retort::core
