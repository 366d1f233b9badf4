#pragma once

#include <QObject>
#include <QPointer>
#include <QCoreApplication>
#include <QThreadPool>

#include <algorithm>

namespace retort::ui {

// The workbench's pool: every background job (loading, lints, probing, reading a
// database) runs here, never on a thread of its own. The pool is joined when the process
// exits; jobs whose context is gone by then simply drop their answer.
inline QThreadPool &backgroundPool()
{
    static QThreadPool pool;
    static const bool configured = [] {
        // Long jobs (a stairway test) must not starve the short ones on a 2-core machine.
        pool.setMaxThreadCount(std::max(6, QThread::idealThreadCount()));
        pool.setExpiryTimeout(30000);
        // Joined when the application object goes, before static destruction: a job still
        // running then (an `alembic --version` probe) must not outlive the statics it uses
        // (a function-local QRegularExpression destroyed under it crashed at exit).
        qAddPostRoutine([] { backgroundPool().waitForDone(); });
        return true;
    }();
    Q_UNUSED(configured);
    return pool;
}

// Runs `work` in the pool and `done(result)` back on `context`'s thread (dropped if the
// context is gone by then). Cancellation is the caller's: pass a flag or a generation.
template<typename Work, typename Done>
void runInBackground(QObject *context, Work work, Done done)
{
    QPointer<QObject> guard(context);
    backgroundPool().start([guard, work = std::move(work), done = std::move(done)]() mutable {
        auto result = work();
        if (!guard)
            return;
        QMetaObject::invokeMethod(guard, [guard, done = std::move(done), result = std::move(result)]() mutable {
            if (guard)
                done(std::move(result));
        }, Qt::QueuedConnection);
    });
}

} // namespace retort::ui
