#include "mergebanner.h"

#include "branchforecaster.h"
#include "git/reparent.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace retort::ui {

MergeBanner::MergeBanner(BranchForecaster *forecaster, QWidget *parent) : QFrame(parent), m_forecaster(forecaster)
{
    setObjectName(QStringLiteral("mergeBanner"));
    setAutoFillBackground(true);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 3, 6, 3);
    outer->setSpacing(2);
    auto *row = new QHBoxLayout;
    row->setSpacing(6);
    outer->addLayout(row);
    auto *into = new QLabel(tr("Merging into"), this);
    row->addWidget(into);
    m_targets = new QComboBox(this);
    m_targets->setEditable(true);  // any branch, tag or commit git can name
    m_targets->setInsertPolicy(QComboBox::NoInsert);
    m_targets->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_targets->setMinimumContentsLength(12);
    m_targets->setToolTip(tr("The branch this one will be merged into: its revisions are read from git, "
                             "without a checkout. Type a tag or commit to compare with that instead."));
    row->addWidget(m_targets);
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::PlainText);
    // The text is elided to the space there is: it never sets the pane's minimum width.
    m_label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_label->setMinimumWidth(40);
    row->addWidget(m_label, 1);

    m_reparent = new QAction(tr("Re-parent"), this);
    m_reparent->setObjectName(QStringLiteral("reparentAction"));
    m_merge = new QAction(tr("Merge Revision…"), this);
    m_merge->setObjectName(QStringLiteral("mergeRevisionAction"));
    m_reparentButton = new QToolButton(this);
    m_reparentButton->setDefaultAction(m_reparent);
    m_mergeButton = new QToolButton(this);
    m_mergeButton->setDefaultAction(m_merge);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_problem->font();
    bold.setBold(true);
    m_problem->setFont(bold);
    m_problem->hide();
    outer->addWidget(m_problem);
    // The two ways out, on a row of their own so a narrow graph pane still shows them whole.
    auto *ways = new QHBoxLayout;
    ways->setSpacing(6);
    ways->addWidget(m_reparentButton);
    ways->addWidget(m_mergeButton);
    ways->addStretch(1);
    outer->addLayout(ways);

    m_notice = new QLabel(this);
    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->hide();
    outer->addWidget(m_notice);

    connect(m_reparent, &QAction::triggered, this, [this] {
        const auto forecast = m_forecaster->forecast();
        const auto candidate = forecast ? forecast->reparentCandidate() : std::nullopt;
        if (!candidate)
            return;
        const QString refusal = reparentRefusal();
        if (!refusal.isEmpty()) {
            setNotice(tr("Not re-parented: %1").arg(refusal));
            return;
        }
        emit reparentRequested(*candidate);
    });
    connect(m_merge, &QAction::triggered, this, [this] {
        const QStringList heads = checkoutHeadsToMerge();
        if (heads.size() >= 2)
            emit mergeRequested(heads);
    });
    connect(m_targets->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        if (!m_syncingChooser)
            m_forecaster->setTarget(m_targets->currentText());
    });
    connect(m_targets, &QComboBox::activated, this, [this] { m_forecaster->setTarget(m_targets->currentText()); });
    connect(m_forecaster, &BranchForecaster::infoChanged, this, &MergeBanner::updateChooser);
    connect(m_forecaster, &BranchForecaster::forecastChanged, this, [this] {
        if (const auto f = m_forecaster->forecast(); f && f->isClean()) {
            if (m_reparented) {
                // The merge will be clean, but the checkout itself now names a parent only the
                // target has: its map is broken until the target comes in.
                const QString target = m_forecaster->target();
                setNotice(tr("Saved: %1 now revises %2, which this checkout does not have yet. Merge or rebase onto %3 "
                             "(git merge %3): until then this checkout's own revision map is broken.")
                              .arg(m_reparented->revision, m_reparented->suggestedParents.value(0), target));
                m_reparented.reset();
            } else {
                setNotice({});  // whatever it said has been dealt with
            }
        }
        updateChooser();
        updateText();
        updateActions();
    });
    updateText();
    updateActions();
}

void MergeBanner::setCheckout(std::shared_ptr<const core::Project> project)
{
    if (!project)
        m_reparented.reset(); // another project
    m_checkout = std::move(project);
    updateActions();
}

void MergeBanner::setDatabase(const QStringList &heads, const QString &name)
{
    m_dbHeads = heads;
    m_dbName = name;
    updateActions();
}

void MergeBanner::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void MergeBanner::setReparented(const core::ForecastProblem &problem)
{
    m_reparented = problem;
    setNotice(tr("%1 now revises %2 in the editor, unsaved: review it, save (Ctrl+S), then merge or rebase onto %3 — "
                 "until then this checkout's own map names a revision only %3 has.")
                  .arg(problem.revision, problem.suggestedParents.value(0), m_forecaster->target()));
}

QString MergeBanner::notice() const
{
    return m_notice->isVisible() ? m_notice->text() : QString();
}

QString MergeBanner::reparentRefusal() const
{
    const auto forecast = m_forecaster->forecast();
    const auto candidate = forecast ? forecast->reparentCandidate() : std::nullopt;
    if (!candidate || !m_checkout)
        return {};
    return core::reparentRefusal(m_checkout->map, candidate->revision, m_dbName.isEmpty() ? tr("The database") : m_dbName,
                                 m_dbHeads);
}

QStringList MergeBanner::checkoutHeadsToMerge() const
{
    // A merge revision needs every head's file in the checkout: after `git merge`, not before.
    QStringList heads;
    if (!m_checkout)
        return heads;
    for (int h : m_checkout->map.heads())
        heads.append(m_checkout->map.at(h).id);
    return heads;
}

void MergeBanner::updateChooser()
{
    const core::GitInfo &info = m_forecaster->info();
    QStringList items = info.branches;
    items.removeAll(info.currentBranch);
    const QString target = m_forecaster->target();
    if (!target.isEmpty() && !items.contains(target))
        items.prepend(target);
    QStringList have;
    for (int i = 0; i < m_targets->count(); ++i)
        have.append(m_targets->itemText(i));
    m_syncingChooser = true;
    if (have != items) {
        m_targets->clear();
        m_targets->addItems(items);
    }
    if (m_targets->currentText() != target)
        m_targets->setCurrentText(target);
    m_syncingChooser = false;
}

void MergeBanner::updateText()
{
    using State = BranchForecaster::State;
    const auto forecast = m_forecaster->forecast();
    setVisible(m_forecaster->state() != State::NotGit && m_forecaster->state() != State::NoProject);
    const QString target = m_forecaster->target();
    bool warn = false;
    switch (m_forecaster->state()) {
    case State::NoProject:
    case State::NotGit:
        m_fullText.clear();
        break;
    case State::Reading:
        m_fullText = tr("reading %1 from git…").arg(target);
        break;
    case State::Failed:
        m_fullText = m_forecaster->error().message;
        warn = true;
        break;
    case State::Ready:
        if (!forecast->isClean()) {
            warn = true;
            m_fullText = forecast->banner();
        } else {
            const int heads = int(forecast->mergedHeads().size());
            QStringList parts{heads == 1 ? tr("keeps 1 head") : tr("%1 heads, as %2 has").arg(heads).arg(target)};
            if (!forecast->newRevisions().isEmpty())
                parts.append(tr("%n new on this branch", nullptr, int(forecast->newRevisions().size())));
            if (!forecast->targetOnly().isEmpty())
                parts.append(tr("%n only on %1", nullptr, int(forecast->targetOnly().size())).arg(target));
            m_fullText = parts.join(QStringLiteral(" \u00b7 "));
        }
        break;
    }
    QString tip = m_fullText;
    if (forecast) {
        for (const core::ForecastProblem &p : forecast->problems())
            tip += QStringLiteral("\n\n") + p.message;
    }
    m_label->setToolTip(tip);
    m_problem->setToolTip(tip);
    m_warn = warn;
    QPalette pal = palette();
    if (warn) {
        pal.setColor(QPalette::Window, QColor(0xfc, 0xe9, 0x94));
        pal.setColor(QPalette::WindowText, Qt::black);
    } else {
        pal = QPalette();
    }
    setPalette(pal);
    showText();
}

void MergeBanner::showText()
{
    m_problem->setText(m_warn ? m_fullText : QString());
    m_problem->setVisible(m_warn);
    // A wrapped label inside a splitter pane is not always asked for its height: give it.
    if (m_warn)
        m_problem->setMinimumHeight(m_problem->heightForWidth(std::max(40, m_problem->width())));
    const QString quiet = m_warn ? QString() : m_fullText;
    m_label->setText(m_label->fontMetrics().elidedText(quiet, Qt::ElideRight, std::max(20, m_label->width())));
}

void MergeBanner::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    showText();
}

void MergeBanner::updateActions()
{
    const auto forecast = m_forecaster->forecast();
    const QString target = m_forecaster->target();
    const bool forked = forecast && !forecast->isClean();
    const auto candidate = forecast ? forecast->reparentCandidate() : std::nullopt;
    const bool onDisk = candidate && m_checkout && m_checkout->map.indexOf(candidate->revision) >= 0;

    m_reparent->setEnabled(onDisk);
    if (candidate) {
        m_reparent->setText(tr("Re-parent onto %1").arg(core::MergeForecast::shortId(candidate->suggestedParents.first())));
        const QString refusal = reparentRefusal();
        m_reparent->setToolTip(refusal.isEmpty()
                                   ? tr("Right while %1 is not applied to a shared database yet: open it in the editor "
                                        "with down_revision and Revises: changed to %2's head %3, unsaved, for you to "
                                        "review and save.")
                                         .arg(candidate->revision, target, candidate->suggestedParents.first())
                                   : refusal);
    } else {
        m_reparent->setText(tr("Re-parent"));
        m_reparent->setToolTip(tr("Nothing to re-parent: no revision of this branch builds on something %1 has moved past.")
                                   .arg(target.isEmpty() ? tr("the target") : target));
    }
    const QStringList heads = checkoutHeadsToMerge();
    m_merge->setEnabled(forked && heads.size() >= 2);
    m_merge->setToolTip(heads.size() >= 2
                            ? tr("Right once both heads are applied somewhere: join %1 with a merge revision "
                                 "(alembic merge).").arg(heads.join(QStringLiteral(", ")))
                            : tr("A merge revision needs both heads' files: merge %1 into this branch first "
                                 "(git merge %1), then join the heads with alembic merge.").arg(target));
    m_reparentButton->setVisible(forked);
    m_mergeButton->setVisible(forked);
}

} // namespace retort::ui
