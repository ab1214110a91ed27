#include "browsercontroller.h"

#include "store/project.h"
#include "util/error.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

#include <functional>

#include <malloc.h>

namespace assay::ui {

// Lives on the controller's thread: loads indexes and runs queries, newest request first.
class QueryWorker : public QObject
{
    Q_OBJECT
public:
    static constexpr size_t previewRows = 3000;

    // generation, index, result, whether the index is new, whether this is the request's last
    // delivery (a first load delivers a preview first).
    using Deliver = std::function<void(quint64, std::shared_ptr<const store::SampleIndex>,
                                       std::shared_ptr<const store::QueryResult>, bool, bool)>;

    void handle(quint64 generation, const std::shared_ptr<std::atomic<quint64>> &latest,
                const QString &projectPath, bool load, const store::IndexQuery &query,
                std::shared_ptr<const store::SampleIndex> index, const Deliver &deliver)
    {
        if (generation < latest->load())
            return deliver(generation, nullptr, nullptr, false, true); // superseded
        if (load || !index) {
            const bool firstLoad = !index;
            index.reset();
            if (!projectPath.isEmpty()) {
                try {
                    store::OpenOptions options;
                    options.readOnly = true;
                    auto project = store::Project::open(projectPath, options);
                    if (firstLoad) {
                        // The first page at once, the whole index after.
                        auto preview = store::SampleIndex::load(project->db(), previewRows);
                        if (preview->isPartial())
                            deliver(generation, preview,
                                    std::make_shared<store::QueryResult>(
                                        store::runQuery(*preview, query)),
                                    true, false);
                    }
                    index = store::SampleIndex::load(project->db());
                    // Loading leaves freed temporaries behind; hand them back to the system.
                    ::malloc_trim(0);
                } catch (const Error &) {
                    index.reset(); // the window reports project errors when it opens one
                }
            }
            load = true;
        }
        std::shared_ptr<const store::QueryResult> result;
        if (index && generation >= latest->load())
            result = std::make_shared<store::QueryResult>(store::runQuery(*index, query));
        deliver(generation, index, result, load, true);
    }
};

BrowserController::BrowserController(QObject *parent)
    : QObject(parent), m_latest(std::make_shared<std::atomic<quint64>>(0)),
      m_thread(new QThread(this)), m_worker(new QueryWorker)
{
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->setObjectName(QStringLiteral("browser"));
    m_thread->start();
}

BrowserController::~BrowserController()
{
    m_latest->store(UINT64_MAX); // whatever is queued is superseded
    m_thread->quit();
    m_thread->wait();
}

void BrowserController::setProject(const QString &projectPath)
{
    m_projectPath = projectPath;
    m_query = {};
    m_index.reset();
    m_result.reset();
    request(true);
}

void BrowserController::reload()
{
    request(true);
}

void BrowserController::setQuery(const store::IndexQuery &query)
{
    m_query = query;
    request(false);
}

void BrowserController::request(bool load)
{
    // A load stays owed until one is applied, even when a newer query supersedes its request.
    m_loadOwed = m_loadOwed || load;
    load = m_loadOwed;
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    ++m_pending;
    QPointer<BrowserController> self(this);
    QueryWorker::Deliver deliver = [self](quint64 g, std::shared_ptr<const store::SampleIndex> i,
                                          std::shared_ptr<const store::QueryResult> r, bool l,
                                          bool last) {
        QMetaObject::invokeMethod(
            qApp, [self, g, i, r, l, last] {
                if (self)
                    self->apply(g, i, r, l, last);
            },
            Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(m_worker, [=, worker = m_worker, latest = m_latest,
                                         path = m_projectPath, query = m_query,
                                         index = m_index] {
        worker->handle(generation, latest, path, load, query, index, deliver);
    });
}

void BrowserController::apply(quint64 generation, std::shared_ptr<const store::SampleIndex> index,
                              std::shared_ptr<const store::QueryResult> result, bool loaded,
                              bool last)
{
    if (last)
        --m_pending;
    if (generation != m_latest->load() || !result)
        return; // superseded by a newer request
    if (!index)
        return;
    const bool newIndex = loaded || index != m_index;
    if (loaded && !index->isPartial())
        m_loadOwed = false;
    m_index = std::move(index);
    m_result = std::move(result);
    if (newIndex)
        emit indexChanged();
    emit resultChanged();
}

} // namespace assay::ui

#include "browsercontroller.moc"
