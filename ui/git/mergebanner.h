#pragma once

#include "git/mergeforecast.h"

#include <QFrame>
#include <QStringList>

#include <memory>
#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QToolButton;

namespace retort::core { struct Project; }

namespace retort::ui {

class BranchForecaster;

// The strip above the graph that says what merging this branch into its target would do:
// the target chooser, one line ("after merging into main: 2 heads — yours 5c1d… (revises
// 1e0b…), main's e41a… (revises 1e0b…)") and the two ways out as actions. It renders the
// forecaster's state and the window's checkout / database state; it owns no git state.
class MergeBanner : public QFrame
{
    Q_OBJECT
public:
    explicit MergeBanner(BranchForecaster *forecaster, QWidget *parent = nullptr);

    // The checkout as the window shows it, and the database it is connected to.
    void setCheckout(std::shared_ptr<const core::Project> project);
    void setDatabase(const QStringList &heads, const QString &name);
    // A one-off message under the banner line (why a re-parent was refused, what it did).
    void setNotice(const QString &text);
    // `problem` was re-parented in the editor: says what is left to do (save, then merge or
    // rebase onto the target), and once saved, that the checkout's own map stays broken until then.
    void setReparented(const core::ForecastProblem &problem);

    QAction *reparentAction() const { return m_reparent; }
    QAction *mergeAction() const { return m_merge; }
    QComboBox *targetChooser() const { return m_targets; }
    QString text() const { return m_fullText; }
    QString notice() const;
    // Why re-parenting the candidate is refused (a database applied it), or empty.
    QString reparentRefusal() const;

signals:
    // Re-parent `problem.revision` onto `problem.suggestedParents.first()` in the editor.
    void reparentRequested(const retort::core::ForecastProblem &problem);
    // Merge these heads of the checkout with a merge revision (alembic merge).
    void mergeRequested(const QStringList &heads);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateChooser();
    void updateText();
    void updateActions();
    void showText();
    QStringList checkoutHeadsToMerge() const;

    BranchForecaster *m_forecaster;
    std::shared_ptr<const core::Project> m_checkout;
    QStringList m_dbHeads;
    QString m_dbName;
    QComboBox *m_targets;
    QLabel *m_label;     // a quiet one-liner beside the chooser, elided
    QLabel *m_problem;   // the banner line when the merge would break, on its own row, wrapped
    QLabel *m_notice;
    QToolButton *m_reparentButton;
    QToolButton *m_mergeButton;
    QAction *m_reparent;
    QAction *m_merge;
    QString m_fullText;
    bool m_warn = false;
    bool m_syncingChooser = false;
    std::optional<core::ForecastProblem> m_reparented; // re-parented in the editor, not yet clean
};

} // namespace retort::ui
