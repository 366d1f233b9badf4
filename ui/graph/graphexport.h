#pragma once

#include <QString>

namespace retort::ui {

class RevisionModel;
class GraphDelegate;

// Renders every row of the revision graph (not just the visible ones) to an SVG or PNG
// file, with the same painting as the view. Returns an error message, empty on success.
QString exportGraphSvg(const RevisionModel &model, const GraphDelegate &delegate, const QString &path);
QString exportGraphPng(const RevisionModel &model, const GraphDelegate &delegate, const QString &path);
// By the file's suffix: .svg, .png, or .dot/.gv (Graphviz, from the model's snapshot).
QString exportGraph(const RevisionModel &model, const GraphDelegate &delegate, const QString &path);

} // namespace retort::ui
