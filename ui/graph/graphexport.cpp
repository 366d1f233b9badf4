#include "graphexport.h"

#include "graph/dotexport.h"
#include "graph/graphdelegate.h"
#include "graph/lanes.h"
#include "models/revisionmodel.h"

#include <QApplication>
#include <QFile>
#include <QFontDatabase>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

namespace retort::ui {

namespace {

constexpr int kRowHeight = 24;
constexpr int kTextWidth = 640;

QSize canvasSize(const RevisionModel &model)
{
    return QSize(model.maxLanes() * GraphDelegate::LaneWidth + 8 + kTextWidth, std::max(1, model.rowCount()) * kRowHeight + 16);
}

void render(QPainter &p, const RevisionModel &model, const GraphDelegate &delegate, const QPalette &palette)
{
    const QSize size = canvasSize(model);
    p.fillRect(QRect(QPoint(0, 0), size), palette.color(QPalette::Base));
    QFont font = QApplication::font();
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const int lanesWidth = model.maxLanes() * GraphDelegate::LaneWidth + 8;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex idx = model.index(row, RevisionModel::GraphColumn);
        const auto *lane = static_cast<const core::LaneRow *>(idx.data(RevisionModel::LaneRowRole).value<const void *>());
        if (!lane)
            continue;
        const QRect rect(8, 8 + row * kRowHeight, size.width() - 16, kRowHeight);
        const bool head = idx.data(RevisionModel::IsHeadRole).toBool();
        const bool current = idx.data(RevisionModel::IsCurrentRole).toBool();
        delegate.paintGraph(&p, QRect(rect.left(), rect.top(), lanesWidth, rect.height()), *lane, head,
                            idx.data(RevisionModel::IsBaseRole).toBool(), current);
        int x = delegate.paintTags(&p, rect.left() + lanesWidth + 4, rect,
                                   idx.data(RevisionModel::BranchLabelsRole).toStringList(), head, current, font);
        p.setPen(palette.color(QPalette::Text));
        p.setFont(mono);
        const QString id = idx.data().toString();
        p.drawText(QRect(x, rect.top(), rect.right() - x, rect.height()), Qt::AlignVCenter, id);
        x += QFontMetrics(mono).horizontalAdvance(id) + 12;
        p.setFont(font);
        p.drawText(QRect(x, rect.top(), rect.right() - x, rect.height()), Qt::AlignVCenter,
                   model.index(row, RevisionModel::MessageColumn).data().toString());
    }
}

} // namespace

QString exportGraphSvg(const RevisionModel &model, const GraphDelegate &delegate, const QString &path)
{
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(canvasSize(model));
    svg.setViewBox(QRect(QPoint(0, 0), canvasSize(model)));
    svg.setTitle(QStringLiteral("Alembic revision graph"));
    svg.setDescription(QStringLiteral("Exported by Retort"));
    QPainter p;
    if (!p.begin(&svg))
        return QObject::tr("Cannot write %1.").arg(path);
    render(p, model, delegate, QApplication::palette());
    p.end();
    return {};
}

QString exportGraphPng(const RevisionModel &model, const GraphDelegate &delegate, const QString &path)
{
    const QSize size = canvasSize(model);
    if (qint64(size.width()) * size.height() > 400'000'000)
        return QObject::tr("The graph is too tall for a PNG (%1 rows); export it as SVG.").arg(model.rowCount());
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&image);
    render(p, model, delegate, QApplication::palette());
    p.end();
    if (!image.save(path, "PNG"))
        return QObject::tr("Cannot write %1.").arg(path);
    return {};
}

QString exportGraph(const RevisionModel &model, const GraphDelegate &delegate, const QString &path)
{
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive))
        return exportGraphSvg(model, delegate, path);
    if (path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive))
        return exportGraphPng(model, delegate, path);
    if (path.endsWith(QLatin1String(".dot"), Qt::CaseInsensitive) || path.endsWith(QLatin1String(".gv"), Qt::CaseInsensitive)) {
        if (!model.project())
            return QObject::tr("No project is open.");
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(core::toDot(model.project()->map).toUtf8()) < 0)
            return QObject::tr("Cannot write %1: %2").arg(path, f.errorString());
        return {};
    }
    return QObject::tr("Export to .svg, .png or .dot.");
}

} // namespace retort::ui
