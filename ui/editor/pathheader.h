#pragma once

#include <QString>
#include <QWidget>

namespace retort::ui {

// The editor's file header: the file's name in bold with its state after it (" ●" for
// unsaved edits, " (saving…)"), then its folder, elided in the middle to the width left.
// A long name is elided before its state, so the state shows at any width. The minimum
// width does not depend on the path, so a long path never widens the pane (nor the window)
// when another revision is shown.
class PathHeader : public QWidget
{
    Q_OBJECT
public:
    enum class State { Clean, Modified, Saving };

    explicit PathHeader(QWidget *parent = nullptr);
    void setPath(const QString &name, const QString &folder, State state);
    // The bold part as it is painted at the present width: the (elided) name and its state.
    QString shownName() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *) override;

private:
    QString suffix() const;

    QString m_name;
    QString m_folder;
    State m_state = State::Clean;
};

} // namespace retort::ui
