// A `\d` command typed into the schema dock or passed to `retort describe`: parsed, turned
// into psql's regexes, and run against a small in-memory SQLite schema.
#include "fuzzsupport.h"

#include "inspect/inspector.h"
#include "inspect/namepattern.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <memory>

namespace {

// Never destroyed: it must outlive nothing that static destruction takes down first
// (the application, the temporary folder), and the process ends right after.
retort::core::Inspector *g_inspector = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    // A small schema with every footer kind: indexes, a check, a foreign key ("Referenced by").
    static QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("fuzz.sqlite"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fuzz-schema"));
        db.setDatabaseName(file);
        db.open();
        QSqlQuery q(db);
        q.exec(QStringLiteral("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT UNIQUE)"));
        q.exec(QStringLiteral("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), "
                              "note TEXT CHECK (length(note) < 100))"));
        q.exec(QStringLiteral("CREATE INDEX orders_note ON orders (note)"));
        q.exec(QStringLiteral("CREATE VIEW big AS SELECT * FROM orders"));
        q.exec(QStringLiteral("CREATE TRIGGER t AFTER INSERT ON orders BEGIN SELECT 1; END"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("fuzz-schema"));
    auto inspector = retort::core::Inspector::connect(QStringLiteral("sqlite:///") + file, dir.path());
    if (!inspector)
        qFatal("cannot open the fuzz schema: %s", qPrintable(inspector.error().message));
    g_inspector = inspector->release();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace retort::core;
    const QString text = fuzzText(data, size);
    for (int parts = 1; parts <= 3; ++parts)
        (void)patternToRegex(text, parts);
    auto cmd = DescribeCommand::parse(text);
    if (!cmd || !g_inspector)
        return 0;
    auto out = g_inspector->run(*cmd);
    if (!out && out.error().message.contains(QLatin1Char('\n')))
        __builtin_trap(); // one clear line, not several
    return 0;
}
