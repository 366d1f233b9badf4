#pragma once

#include <QPointer>
#include <QToolButton>

class QPlainTextEdit;

namespace retort::ui {

class Databases;

// The status bar's drift badge, a view of Databases: whether the active database is where
// its version table says (core::DriftCheck, run by Databases in the background: the database
// only read, the migrations replayed on a scratch database), followed by the other connected
// databases that drifted ("· prod ≠2"). SQLite databases are checked by themselves after
// every read; a server (where the replay creates a scratch database) only when the badge is
// clicked. A click on a checked badge opens the differences and the revision to stamp, if one
// matches; its menu does the same for every connected database. Retort proposes; the user decides.
class DriftBadge : public QToolButton
{
    Q_OBJECT
public:
    enum class State { Idle, Checking, NoDrift, Drift, Unknown };
    Q_ENUM(State)

    explicit DriftBadge(Databases *databases, QWidget *parent = nullptr);
    ~DriftBadge() override;

    // The active database's.
    State state() const;
    // What the details window shows (the report as text) and for which database.
    QString detailsText() const;
    QString detailsDatabase() const { return m_shownFor; }
    QPlainTextEdit *detailsView() const;

public slots:
    // Opens the differences of `database` (empty: the active one); a database not checked
    // yet is checked first and its answer shown when it comes.
    void showDetails(const QString &database = QString());

signals:
    // The active database's check came to an end (not Checking).
    void checked(retort::ui::DriftBadge::State state);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void update(const QString &database);
    void fillMenu();

    Databases *m_databases;
    QString m_shownFor;
    QPointer<QPlainTextEdit> m_view; // a window of its own, parented to the badge's window
};

} // namespace retort::ui
