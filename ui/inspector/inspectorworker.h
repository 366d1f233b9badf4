#pragma once

#include "inspect/inspector.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace retort::ui {

// Owns an Inspector on a thread of its own, so introspection never blocks the window.
// Requests are queued; answers come back as signals carrying the request id.
class InspectorWorker : public QObject
{
    Q_OBJECT
public:
    explicit InspectorWorker(QObject *parent = nullptr);
    ~InspectorWorker() override;

    void connectTo(const QString &url, const QString &workingDir, const QString &password);
    void runCommand(int id, const QString &command);
    void loadObjects(int id);
    void sampleRows(int id, const QString &schema, const QString &table);
    // The statements that create the relations `pattern` names; answered by commandFinished.
    void createStatements(int id, const QString &pattern);
    void disconnectNow();

signals:
    void connected(bool ok, const QString &message, bool isPostgres);
    void commandFinished(int id, const QString &text, const QString &error);
    void objectsLoaded(int id, const QList<retort::core::DbObject> &objects, const QString &error);
    void rowsLoaded(int id, const QStringList &rows, const QString &error);

private:
    class Engine;
    QThread m_thread;
    Engine *m_engine;
};

} // namespace retort::ui
