#include "sqlregions.h"

#include "python/syntaxtree.h"
#include "python/tokenizer.h"

namespace retort::core {

using python::Field;
using python::NodeKind;
using python::SyntaxTree;

bool takesSql(QStringView dotted)
{
    const qsizetype dot = dotted.lastIndexOf(QLatin1Char('.'));
    const QStringView last = dot < 0 ? dotted : dotted.mid(dot + 1);
    const QStringView owner = dot < 0 ? QStringView() : dotted.left(dot);
    if (last == QLatin1String("text"))
        return owner.isEmpty() || owner == QLatin1String("sa") || owner == QLatin1String("sqlalchemy")
            || owner.endsWith(QLatin1String(".sql")) || owner == QLatin1String("sql");
    if (last == QLatin1String("execute") || last == QLatin1String("exec_driver_sql"))
        return !owner.isEmpty(); // op.execute, connection.execute, bind.execute, session.execute, ...
    return false;
}

namespace {

// The callee of a call as a dotted name; a non-name owner (`op.get_bind().execute`) is "?".
QString calleeName(const SyntaxTree &t, int func)
{
    const python::Node &f = t.node(func);
    if (f.kind == NodeKind::Name)
        return t.qname(func);
    if (f.kind != NodeKind::Attribute)
        return {};
    const QString owner = t.dottedName(f.first);
    return (owner.isEmpty() ? QStringLiteral("?") : owner) + QLatin1Char('.') + t.qname(func);
}

} // namespace

QString SqlLiteral::text() const
{
    return sql;
}

std::vector<SqlLiteral> findSqlLiterals(const SyntaxTree &tree, int within)
{
    std::vector<SqlLiteral> out;
    if (!tree.isValid())
        return out;
    tree.visit(within < 0 ? tree.root() : within, [&](int n) {
        const python::Node &x = tree.node(n);
        if (x.kind != NodeKind::Call)
            return true;
        const int func = tree.child(n, Field::Func);
        if (!takesSql(calleeName(tree, func)))
            return true;
        const int arg = tree.child(n, Field::Args);
        if (arg < 0)
            return true;
        const NodeKind k = tree.node(arg).kind;
        if (k != NodeKind::JoinedStr && !(k == NodeKind::Constant && tree.constantKind(arg) == python::ConstantKind::String))
            return true;
        for (const SyntaxTree::Literal &l : tree.literals(arg)) {
            if (l.bytes || l.bodyEnd == l.bodyStart)
                continue;
            SqlLiteral s;
            s.start = l.bodyStart;
            s.length = l.bodyEnd - l.bodyStart;
            s.line = l.line;
            s.sql = QString::fromUtf8(tree.text().data() + s.start, qsizetype(s.length));
            out.push_back(s);
        }
        return true;
    });
    return out;
}

QList<SqlRegion> findSqlRegions(QStringView source, python::PythonVersion version)
{
    const QByteArray utf8 = source.toUtf8();
    const auto tree = SyntaxTree::parse(std::string_view(utf8.constData(), size_t(utf8.size())), version);
    // Byte offsets of the decoded text (universal newlines applied) to UTF-16 offsets of `source`.
    std::vector<qsizetype> toUtf16;
    toUtf16.reserve(size_t(utf8.size()) + 1);
    for (qsizetype i = 0; i < source.size(); ++i) {
        const char16_t c = source[i].unicode();
        if (i == 0 && c == 0xFEFF)
            continue; // the BOM is not part of the decoded text
        if (c == '\r' && i + 1 < source.size() && source[i + 1] == QLatin1Char('\n'))
            continue; // CRLF is one LF
        int bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        if (QChar::isHighSurrogate(c) && i + 1 < source.size() && QChar::isLowSurrogate(source[i + 1].unicode())) {
            for (int k = 0; k < 4; ++k)
                toUtf16.push_back(i);
            ++i;
            continue;
        }
        for (int k = 0; k < bytes; ++k)
            toUtf16.push_back(i);
    }
    toUtf16.push_back(source.size());
    auto map = [&](uint32_t offset) { return offset < toUtf16.size() ? toUtf16[offset] : source.size(); };

    QList<SqlRegion> out;
    if (tree->isValid()) {
        for (const SqlLiteral &l : findSqlLiterals(*tree)) {
            const qsizetype b = map(l.start);
            out.append({b, map(l.start + l.length) - b, l.line});
        }
        return out;
    }
    // A file being edited often does not parse: read the tokens up to the error,
    // `name(.name)* ( string+`.
    const python::DecodedSource decoded = python::decodeSource(std::string_view(utf8.constData(), size_t(utf8.size())));
    if (decoded.error.isValid())
        return out;
    const python::TokenStream ts = python::tokenize(decoded.text, python::TokenizeMode::Code, version);
    const std::vector<python::Token> &tk = ts.tokens;
    auto text = [&](const python::Token &t) { return QString::fromUtf8(decoded.text.data() + t.start, qsizetype(t.end - t.start)); };
    for (size_t i = 0; i < tk.size(); ++i) {
        if (tk[i].kind != python::TokenKind::Op || tk[i].op != python::Op::LPar || i == 0 || tk[i - 1].kind != python::TokenKind::Name)
            continue;
        size_t k = i - 1;
        QString dotted = text(tk[k]);
        while (k >= 2 && tk[k - 1].kind == python::TokenKind::Op && tk[k - 1].op == python::Op::Dot
               && tk[k - 2].kind == python::TokenKind::Name) {
            k -= 2;
            dotted = text(tk[k]) + QLatin1Char('.') + dotted;
        }
        if (k >= 1 && tk[k - 1].kind == python::TokenKind::Op && tk[k - 1].op == python::Op::Dot)
            dotted = QStringLiteral("?.") + dotted;
        if (!takesSql(dotted))
            continue;
        for (size_t j = i + 1; j < tk.size() && tk[j].kind == python::TokenKind::String; ++j) {
            if (tk[j].flags & python::BytesString)
                continue;
            const std::string_view tok(decoded.text.data() + tk[j].start, tk[j].end - tk[j].start);
            size_t q = 0;
            while (q < tok.size() && tok[q] != '"' && tok[q] != '\'')
                ++q;
            const size_t open = (tk[j].flags & python::TripleQuoted) ? 3 : 1;
            const uint32_t bodyStart = tk[j].start + uint32_t(q + open);
            const uint32_t bodyEnd = tk[j].end - uint32_t(open);
            if (bodyEnd > bodyStart) {
                const qsizetype b = map(bodyStart);
                out.append({b, map(bodyEnd) - b, tk[j].line});
            }
        }
    }
    return out;
}

} // namespace retort::core
