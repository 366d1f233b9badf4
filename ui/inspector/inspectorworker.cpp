#include "inspectorworker.h"

namespace retort::ui {

// Lives on the worker thread; holds the connection.
class InspectorWorker::Engine : public QObject
{
public:
    std::unique_ptr<core::Inspector> inspector;
};

InspectorWorker::InspectorWorker(QObject *parent) : QObject(parent), m_engine(new Engine)
{
    qRegisterMetaType<QList<retort::core::DbObject>>();
    m_engine->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("retort-inspector"));
    m_thread.start();
}

InspectorWorker::~InspectorWorker()
{
    QMetaObject::invokeMethod(m_engine, [e = m_engine] { e->inspector.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void InspectorWorker::connectTo(const QString &url, const QString &workingDir, const QString &password)
{
    QMetaObject::invokeMethod(m_engine, [this, e = m_engine, url, workingDir, password] {
        e->inspector.reset();
        auto r = core::Inspector::connect(url, workingDir, password);
        if (!r) {
            emit connected(false, r.error().message, false);
            return;
        }
        e->inspector = std::move(*r);
        emit connected(true, QString(), e->inspector->isPostgres());
    });
}

void InspectorWorker::disconnectNow()
{
    QMetaObject::invokeMethod(m_engine, [e = m_engine] { e->inspector.reset(); });
}

void InspectorWorker::runCommand(int id, const QString &command)
{
    QMetaObject::invokeMethod(m_engine, [this, e = m_engine, id, command] {
        if (!e->inspector) {
            emit commandFinished(id, QString(), tr("Not connected."));
            return;
        }
        auto r = e->inspector->run(command);
        emit commandFinished(id, r ? *r : QString(), r ? QString() : r.error().message);
    });
}

void InspectorWorker::loadObjects(int id)
{
    QMetaObject::invokeMethod(m_engine, [this, e = m_engine, id] {
        if (!e->inspector) {
            emit objectsLoaded(id, {}, tr("Not connected."));
            return;
        }
        auto r = e->inspector->objects();
        emit objectsLoaded(id, r ? *r : QList<core::DbObject>{}, r ? QString() : r.error().message);
    });
}

void InspectorWorker::createStatements(int id, const QString &pattern)
{
    QMetaObject::invokeMethod(m_engine, [this, e = m_engine, id, pattern] {
        if (!e->inspector) {
            emit commandFinished(id, QString(), tr("Not connected."));
            return;
        }
        auto r = e->inspector->createStatements(pattern);
        emit commandFinished(id, r ? *r : QString(), r ? QString() : r.error().message);
    });
}

void InspectorWorker::sampleRows(int id, const QString &schema, const QString &table)
{
    QMetaObject::invokeMethod(m_engine, [this, e = m_engine, id, schema, table] {
        if (!e->inspector) {
            emit rowsLoaded(id, {}, tr("Not connected."));
            return;
        }
        auto r = e->inspector->sampleRows(schema, table, 50);
        emit rowsLoaded(id, r ? *r : QStringList{}, r ? QString() : r.error().message);
    });
}

} // namespace retort::ui
