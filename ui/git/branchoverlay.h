#pragma once

namespace retort::ui {

class BranchForecaster;
class RevisionModel;

// Shows the forecaster's answer in the revision graph: "new on this branch" marks and ghost
// rows for the revisions only the merge target has (cleared when there is no answer).
void showForecastInModel(RevisionModel *model, const BranchForecaster &forecaster);

} // namespace retort::ui
