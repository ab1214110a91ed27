#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

#include <utility>
#include <vector>

namespace assay::test {

// One run of the built assay-cli: its exit code (-1 when it crashed) and what it printed.
struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs assay-cli with `arguments`, `input` on its standard input and `environment` added to
// this process's; waits up to five minutes (a hang fails the test run).
CliRun runCli(const QStringList &arguments, const QByteArray &input = {},
              const std::vector<std::pair<QString, QString>> &environment = {});

// `text` as a JSON object; warns (with the text) when it is not one.
QJsonObject jsonObject(const QString &text);

} // namespace assay::test
