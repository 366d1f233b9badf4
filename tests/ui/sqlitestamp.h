#pragma once
// A real SQLite database at given heads, its version table written the way Alembic writes it.

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>
#include <QTest>

inline void stampDatabase(const QString &path, const QStringList &heads)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("stamp"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")));
        for (const QString &h : heads)
            QVERIFY(q.exec(QStringLiteral("INSERT INTO alembic_version VALUES ('%1')").arg(h)));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("stamp"));
}
