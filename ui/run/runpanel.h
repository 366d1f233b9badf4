#pragma once

#include "run/alembicprocess.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QAction;
class QToolButton;

namespace retort::ui {

class RunController;

// The Run dock: a view of the RunController. Shows where Alembic was found, the target's
// production flag, the window's run actions as buttons, the progress and the step under
// way, the result (with what a failed step left behind), the live log with search, and
// the history of runs. It keeps no run state of its own.
class RunPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunPanel(RunController *controller, QWidget *parent = nullptr);
    ~RunPanel() override;

    RunController *controller() const { return m_controller; }
    // The window's actions (ActionHandler) as this panel's buttons: the same QAction objects
    // as the Run menu's, so they enable and disable together.
    void setActions(const QList<QAction *> &upgrade, const QList<QAction *> &downgrade, const QList<QAction *> &stamp,
                    const QList<QAction *> &sql, QAction *stairway, QAction *cancel);

    QPlainTextEdit *log() const { return m_log; }
    QProgressBar *progress() const { return m_progress; }
    QLabel *resultLabel() const { return m_result; }
    QComboBox *history() const { return m_history; }

private:
    void appendLine(const QString &line, core::AlembicProcess::Level level);
    void showProgress(int done, int total);
    // While a run goes on, the result line says how long it has run and the step under way.
    void showRunning();
    void showHistory();
    void syncTarget();

    RunController *m_controller;
    QLabel *m_alembicLabel;
    QCheckBox *m_production;
    QToolButton *m_upgradeButton;
    QToolButton *m_downgradeButton;
    QToolButton *m_stampButton;
    QToolButton *m_sqlButton;
    QToolButton *m_stairwayButton;
    QToolButton *m_cancelButton;
    QProgressBar *m_progress;
    QString m_step;  // the step under way ("upgrade 1e0b → 9a3c (…)"), said in the result line
    QLabel *m_result;
    QComboBox *m_history;
    QLineEdit *m_search;
    QPlainTextEdit *m_log;
};

} // namespace retort::ui
