#pragma once

#include <QString>

#include <exception>

namespace assay {

// The one exception type core code throws. The message is complete and meant for a person:
// it names the file (and line, where there is one) and the problem.
class Error : public std::exception
{
public:
    explicit Error(QString message) : m_message(std::move(message)), m_utf8(m_message.toUtf8()) {}

    const QString &message() const noexcept { return m_message; }
    const char *what() const noexcept override { return m_utf8.constData(); }

private:
    QString m_message;
    QByteArray m_utf8;
};

} // namespace assay
