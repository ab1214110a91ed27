#pragma once

#include "store/indexquery.h"
#include "store/sampleindex.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace assay::ui {

class QueryWorker;

// Owns what the browser shows: the project's sample index (loaded on a thread of its own) and
// the current query, run there too. Requests are numbered; a result that a newer request has
// superseded is dropped, never applied (DESIGN §4).
class BrowserController : public QObject
{
    Q_OBJECT
public:
    explicit BrowserController(QObject *parent = nullptr);
    ~BrowserController() override;

    // Loads the index of a project (empty: none). The current query is kept across reloads.
    void setProject(const QString &projectPath);
    void reload();
    void setQuery(const store::IndexQuery &query);

    const store::IndexQuery &query() const { return m_query; }
    std::shared_ptr<const store::SampleIndex> index() const { return m_index; }
    std::shared_ptr<const store::QueryResult> result() const { return m_result; }
    bool isBusy() const { return m_pending > 0; }

signals:
    // A new index: class, split, issue and attribute lists may differ. A first load delivers a
    // partial index (its first rows) before the whole one.
    void indexChanged();
    void resultChanged(); // a new result for the current query

private:
    void request(bool load);
    void apply(quint64 generation, std::shared_ptr<const store::SampleIndex> index,
               std::shared_ptr<const store::QueryResult> result, bool loaded, bool last);

    QString m_projectPath;
    store::IndexQuery m_query;
    std::shared_ptr<const store::SampleIndex> m_index;
    std::shared_ptr<const store::QueryResult> m_result;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_generation = 0;
    int m_pending = 0;
    bool m_loadOwed = false;
    QThread *m_thread;
    QueryWorker *m_worker;
};

} // namespace assay::ui
