#include "pipelinedimport.h"

#include "analysis/annotationchecks.h"
#include "analysis/importchecks.h"
#include "jobs/progress.h"
#include "store/featurestore.h"
#include "store/importwriter.h"
#include "store/project.h"
#include "util/error.h"

#include <QFile>
#include <QFileInfo>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <pthread.h>
#include <optional>
#include <thread>

namespace assay::formats {

namespace {

// Messages in flight before the reader waits: 4 batches of objects are about 20 MB.
constexpr size_t queueLimit = 4;

// What the reader hands to the writer: new items, a batch of objects, or the final plan, each
// with the names they refer to.
struct Message
{
    enum class Kind { Items, Annotations, Finish };
    Kind kind = Kind::Items;
    ImportPlan part;
};

// The plan without its items and objects.
ImportPlan headerOf(const ImportPlan &plan)
{
    ImportPlan header;
    header.format = plan.format;
    header.root = plan.root;
    header.source = plan.source;
    header.splits = plan.splits;
    header.categories = plan.categories;
    header.sourceFiles = plan.sourceFiles;
    header.skipped = plan.skipped;
    header.refused = plan.refused;
    header.labelSource = plan.labelSource;
    header.readOptions = plan.readOptions;
    header.annotationsStreamed = plan.annotationsStreamed;
    return header;
}

} // namespace

void removeProjectFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QString::fromLatin1(suffix));
}

void checkSameDataset(store::Project &project, const ImportPlan &plan, const QString &source,
                      const QString &projectPath)
{
    const QString oldRoot = project.datasetRoot();
    if (!oldRoot.isEmpty() && oldRoot != plan.root
        && project.meta(QStringLiteral("dataset_format")) != plan.format)
        throw Error(QStringLiteral("%1 already holds a %2 dataset from %3; import %4 into a new "
                                   "project")
                        .arg(projectPath, project.meta(QStringLiteral("dataset_format")), oldRoot,
                             source));
}

// The second thread: opens the project at the first message, writes each message in order, and
// closes the project when finished or told to stop (rolling back unless finished).
class PipelinedImport::Writer
{
public:
    Writer(const QString &source, const QString &projectPath, jobs::Progress &progress)
        : m_source(source), m_projectPath(projectPath), m_progress(progress),
          m_thread([this] { run(); })
    {
    }

    ~Writer()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
        if (m_created && !m_placed)
            removeProjectFiles(m_partial);
    }

    void push(Message &&message)
    {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return m_queue.size() < queueLimit || m_failed || m_ended; });
        throwIfFailed(lock);
        m_queue.push_back(std::move(message));
        lock.unlock();
        m_wake.notify_all();
    }

    // `checked`: the annotation issues the reader found, by item; empty when it did not check
    // (they are then found from the written project).
    ImportResult finish(const ImportPlan &plan, std::optional<std::vector<Issue>> checked)
    {
        m_checked = std::move(checked); // read by the writer thread only after the push below
        push({Message::Kind::Finish, headerOf(plan)});
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_ended; });
            throwIfFailed(lock);
        }
        if (m_created) {
            if (!QFile::rename(m_partial, m_projectPath))
                throw Error(QStringLiteral("cannot create %1: renaming the finished import failed")
                                .arg(m_projectPath));
            m_placed = true;
        }
        return m_result;
    }

    bool created() const { return m_created; }

    std::vector<ImportAnnotation> spent()
    {
        std::lock_guard lock(m_mutex);
        if (m_spent.empty())
            return {};
        std::vector<ImportAnnotation> batch = std::move(m_spent.front());
        m_spent.pop_front();
        return batch;
    }

private:
    void throwIfFailed(std::unique_lock<std::mutex> &lock)
    {
        if (!m_failed)
            return;
        const std::exception_ptr error = m_error;
        lock.unlock();
        try {
            std::rethrow_exception(error);
        } catch (const Error &failure) {
            // Name the project the user asked for, not the temporary file.
            QString message = failure.message();
            if (!m_partial.isEmpty())
                message.replace(m_partial, m_projectPath);
            throw Error(message);
        }
    }

    void run()
    {
        pthread_setname_np(pthread_self(), "assay-writer"); // in top, perf and gdb
        for (;;) {
            Message message;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return !m_queue.empty() || m_stop; });
                if (m_stop)
                    break;
                message = std::move(m_queue.front());
                m_queue.pop_front();
            }
            m_wake.notify_all();
            try {
                write(message);
            } catch (...) {
                std::lock_guard lock(m_mutex);
                m_error = std::current_exception();
                m_failed = true;
                m_queue.clear();
                break;
            }
            if (message.kind == Message::Kind::Finish)
                break;
        }
        m_writer.reset(); // rolls back unless finished
        m_project.reset();
        {
            std::lock_guard lock(m_mutex);
            m_ended = true;
        }
        m_wake.notify_all();
    }

    void open(const ImportPlan &plan)
    {
        m_created = !QFileInfo::exists(m_projectPath);
        if (m_created) {
            // Filled under a temporary name without a journal, renamed into place when complete.
            m_partial = m_projectPath + QStringLiteral(".importing");
            removeProjectFiles(m_partial);
            store::OpenOptions options;
            options.create = true;
            options.bulkLoad = true;
            m_project = store::Project::open(m_partial, options);
        } else {
            m_project = store::Project::open(m_projectPath);
            checkSameDataset(*m_project, plan, m_source, m_projectPath);
        }
        m_writer = std::make_unique<store::ImportWriter>(*m_project, m_progress, false);
    }

    void write(Message &message)
    {
        ImportPlan &part = message.part;
        switch (message.kind) {
        case Message::Kind::Items: {
            if (!m_project)
                open(part);
            const size_t begin = m_plan.items.size();
            m_plan.items.insert(m_plan.items.end(), std::make_move_iterator(part.items.begin()),
                                std::make_move_iterator(part.items.end()));
            m_plan.splits = part.splits;
            m_plan.categories = part.categories;
            m_plan.attributes = std::move(part.attributes);
            m_writer->writeItems(m_plan, begin, m_plan.items.size());
            break;
        }
        case Message::Kind::Annotations: {
            m_plan.categories = part.categories;
            m_writer->writeAnnotations(m_plan, part.annotations);
            // Back to the reader, which fills the objects again instead of allocating new ones.
            std::lock_guard lock(m_mutex);
            if (m_spent.size() < queueLimit + 2)
                m_spent.push_back(std::move(part.annotations));
            break;
        }
        case Message::Kind::Finish: {
            std::vector<ImportItem> items = std::move(m_plan.items);
            std::vector<AttributeColumn> attributes = std::move(m_plan.attributes);
            m_plan = std::move(part);
            m_plan.items = std::move(items);
            m_plan.attributes = std::move(attributes);
            m_result = m_writer->finish(m_plan);
            storeChecks();
            m_writer.reset();
            if (m_created)
                m_project->finishBulkLoad();
            break;
        }
        }
    }

    // On the writer's connection, while its page cache still holds what it wrote.
    void storeChecks()
    {
        m_progress.setPhase(QStringLiteral("Checking annotations"));
        if (!m_checked || !m_created) {
            analysis::refreshAnnotationChecks(*m_project, &m_plan);
            return;
        }
        const std::vector<std::int64_t> &ids = m_writer->sampleIds();
        for (Issue &issue : *m_checked)
            issue.sampleId = ids.at(size_t(issue.sampleId));
        store::replaceIssues(m_project->db(), analysis::annotationIssueKinds(), *m_checked);
    }

    const QString m_source;
    const QString m_projectPath;
    jobs::Progress &m_progress;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Message> m_queue;
    std::deque<std::vector<ImportAnnotation>> m_spent;
    bool m_stop = false;
    bool m_failed = false;
    bool m_ended = false;
    std::exception_ptr m_error;

    // The writer thread's own (read by the reader's only once it ended).
    ImportPlan m_plan; // the items so far and the names they use
    std::unique_ptr<store::Project> m_project;
    std::unique_ptr<store::ImportWriter> m_writer;
    ImportResult m_result;
    std::optional<std::vector<Issue>> m_checked;
    bool m_created = false;
    bool m_placed = false;
    QString m_partial;

    std::thread m_thread; // last: starts once everything above is ready
};

PipelinedImport::PipelinedImport(QString source, QString projectPath, jobs::Progress &progress)
    : m_source(std::move(source)), m_projectPath(std::move(projectPath)), m_progress(progress)
{
    if (!QFileInfo::exists(m_projectPath))
        m_checks = std::make_unique<analysis::ImportChecks>();
}

PipelinedImport::~PipelinedImport() = default;

void PipelinedImport::items(const ImportPlan &plan)
{
    if (!m_writer)
        m_writer = std::make_unique<Writer>(m_source, m_projectPath, m_progress);
    Message message{Message::Kind::Items, {}};
    ImportPlan &part = message.part;
    part.format = plan.format;
    part.root = plan.root;
    part.splits = plan.splits;
    part.categories = plan.categories;
    part.attributes = plan.attributes;
    part.items.assign(plan.items.begin() + std::ptrdiff_t(m_itemsSent), plan.items.end());
    m_itemsSent = plan.items.size();
    m_writer->push(std::move(message));
    if (m_checks)
        m_checks->items(plan);
}

void PipelinedImport::annotations(const ImportPlan &plan, std::vector<ImportAnnotation> &&batch)
{
    if (!m_writer)
        throw Error(QStringLiteral("internal error: annotations handed over before their items"));
    Message message{Message::Kind::Annotations, {}};
    message.part.categories = plan.categories;
    if (m_checks)
        m_checks->annotations(plan, batch);
    message.part.annotations = std::move(batch);
    m_writer->push(std::move(message));
}

std::vector<ImportAnnotation> PipelinedImport::spentBatch()
{
    return m_writer ? m_writer->spent() : std::vector<ImportAnnotation>();
}

bool PipelinedImport::started() const
{
    return m_writer != nullptr;
}

ImportResult PipelinedImport::finish(const ImportPlan &plan)
{
    if (m_itemsSent < plan.items.size())
        items(plan);
    std::optional<std::vector<Issue>> checked;
    if (m_checks)
        checked = m_checks->finish(plan); // while the writer catches up
    return m_writer->finish(plan, std::move(checked));
}

bool PipelinedImport::createdProject() const
{
    return m_writer && m_writer->created();
}

} // namespace assay::formats
