// Replays every fuzz target's seeds and every input that once made a reader crash, hang or
// report to a sanitizer (tests/data/fuzz-regressions/<target>/), in the normal build: a fix that
// regresses fails here without clang or libFuzzer.

#include "fuzztargets.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace assay;

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private slots:
    void replay_data();
    void replay();
};

void TestFuzzRegressions::replay_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QByteArray>("input");
    const auto seeds = fuzz::seedInputs();
    const QDir regressions(qEnvironmentVariable("ASSAY_TEST_DATA") +
                           QStringLiteral("/fuzz-regressions"));
    for (const auto &[target, run] : fuzz::targets()) {
        Q_UNUSED(run)
        const auto found = seeds.find(target);
        QVERIFY2(found != seeds.end() && !found->second.empty(), qPrintable(target));
        for (size_t i = 0; i < found->second.size(); ++i)
            QTest::addRow("%s seed %zu", qPrintable(target), i) << target << found->second[i];
        const QDir crashes(regressions.filePath(target));
        for (const QString &name : crashes.entryList(QDir::Files, QDir::Name)) {
            QFile file(crashes.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QTest::addRow("%s %s", qPrintable(target), qPrintable(name)) << target << file.readAll();
        }
    }
}

void TestFuzzRegressions::replay()
{
    QFETCH(QString, target);
    QFETCH(QByteArray, input);
    // The target catches the readers' refusals (assay::Error); anything else escapes and fails.
    try {
        fuzz::targets().at(target)(reinterpret_cast<const std::uint8_t *>(input.constData()),
                                   std::size_t(input.size()));
    } catch (const std::exception &error) {
        QFAIL(error.what());
    }
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
