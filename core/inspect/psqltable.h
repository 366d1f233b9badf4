#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace retort::core {

// A result laid out like psql's default "aligned" format (border 1), as print.c does it:
// centred title and headers, `-+-` rule, left- or right-aligned cells (the last column
// without trailing blanks), multi-line cells continued with '+', footers, a blank line.
struct PsqlTable
{
    QString title;
    QStringList headers;
    QString aligns;            // one 'l' or 'r' per column
    QList<QStringList> rows;
    QStringList footers;
    bool defaultFooter = false; // "(N rows)" when there are no footers

    QString render() const;
};

// Display width of text as psql counts it (wide East Asian characters count 2).
int psqlWidth(QStringView text);
// One line of a cell as print.c shows it (pg_wcsformat): a tab becomes blanks to the next
// multiple of 8, a carriage return "\r", other control characters "\x07" (C1 ones "\u0085").
QString psqlFormatLine(QStringView line);

} // namespace retort::core
