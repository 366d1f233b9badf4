#include "branchoverlay.h"

#include "branchforecaster.h"
#include "models/revisionmodel.h"

namespace retort::ui {

void showForecastInModel(RevisionModel *model, const BranchForecaster &forecaster)
{
    const auto forecast = forecaster.forecast();
    if (!forecast || forecaster.state() != BranchForecaster::State::Ready) {
        model->setBranchOverlay({}, {}, {});
        return;
    }
    const QSet<QString> fresh(forecast->newRevisions().cbegin(), forecast->newRevisions().cend());
    const QSet<QString> only(forecast->targetOnly().cbegin(), forecast->targetOnly().cend());
    QList<core::RevisionFile> ghosts;
    for (const core::RevisionFile &f : forecast->targetProject().map.files())
        if (only.contains(f.revision))
            ghosts.append(f);
    model->setBranchOverlay(forecaster.target(), fresh, ghosts);
}

} // namespace retort::ui
