#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>

namespace retort::ui {

// Runs `work` on a thread of its own and `done(result)` back on `context`'s thread
// (dropped if the context is gone by then). For one-off jobs: loading, probing, reading.
template<typename Work, typename Done>
void runInBackground(QObject *context, Work work, Done done)
{
    QPointer<QObject> guard(context);
    QThread *thread = QThread::create([guard, work = std::move(work), done = std::move(done)]() mutable {
        auto result = work();
        if (!guard)
            return;
        QMetaObject::invokeMethod(guard, [guard, done = std::move(done), result = std::move(result)]() mutable {
            if (guard)
                done(std::move(result));
        }, Qt::QueuedConnection);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

} // namespace retort::ui
