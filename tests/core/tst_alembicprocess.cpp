// Cancel reaches the child however its parent was started: dispositions and the signal
// mask are reset before exec, and SIGINT escalates to SIGTERM and SIGKILL.
#include "run/alembicprocess.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using retort::core::AlembicCommand;
using retort::core::AlembicProcess;

class tst_AlembicProcess : public QObject
{
    Q_OBJECT
private slots:
    void cancelReachesAChildWhoseParentIgnoresSigint();
    void cancelEscalatesToSigkill();
};

namespace {
AlembicCommand python(const QString &code)
{
    return AlembicCommand{QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), code}, {}, {}};
}
} // namespace

void tst_AlembicProcess::cancelReachesAChildWhoseParentIgnoresSigint()
{
    // Like a workbench started from a shell as a background job: SIGINT ignored, and
    // SIGINT blocked on top. A child that inherits either does not hear the cancel.
    struct sigaction old {};
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGINT, &ignore, &old);
    sigset_t block, oldMask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    ::pthread_sigmask(SIG_BLOCK, &block, &oldMask);

    AlembicProcess process;
    process.setCancelGrace(5000);
    QSignalSpy finished(&process, &AlembicProcess::finished);
    QSignalSpy steps(&process, &AlembicProcess::cancelStep);
    QSignalSpy lines(&process, &AlembicProcess::lineReceived);
    QVERIFY(process.start(python(QStringLiteral("import time\nprint('ready', flush=True)\ntime.sleep(30)")), QString(), {},
                          QDir::tempPath()));
    QVERIFY(lines.wait(10000));
    process.cancel();
    QVERIFY(finished.wait(15000));
    ::sigaction(SIGINT, &old, nullptr);
    ::pthread_sigmask(SIG_SETMASK, &oldMask, nullptr);
    // SIGINT alone ended it (KeyboardInterrupt): the SIGTERM step, 5 s on, never came.
    QCOMPARE(steps.count(), 1);
    QCOMPARE(steps.first().first().toString(), QStringLiteral("SIGINT"));
    QVERIFY(process.wasCancelled());
}

void tst_AlembicProcess::cancelEscalatesToSigkill()
{
    // A child that ignores SIGINT and SIGTERM itself: the group ends with SIGKILL.
    AlembicProcess process;
    process.setCancelGrace(300);
    QSignalSpy finished(&process, &AlembicProcess::finished);
    QSignalSpy steps(&process, &AlembicProcess::cancelStep);
    QSignalSpy lines(&process, &AlembicProcess::lineReceived);
    QVERIFY(process.start(python(QStringLiteral("import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                                "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\n"
                                                "time.sleep(30)")),
                          QString(), {}, QDir::tempPath()));
    QVERIFY(lines.wait(10000));
    process.cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(steps.count(), 3);
    QCOMPARE(steps.at(0).first().toString(), QStringLiteral("SIGINT"));
    QCOMPARE(steps.at(1).first().toString(), QStringLiteral("SIGTERM"));
    QCOMPARE(steps.at(2).first().toString(), QStringLiteral("SIGKILL"));
    QVERIFY(finished.first().at(1).toBool()); // crashed or cancelled
}

QTEST_GUILESS_MAIN(tst_AlembicProcess)
#include "tst_alembicprocess.moc"
