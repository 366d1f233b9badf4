#include "schemadifftab.h"

#include "background.h"
#include "databases.h"
#include "run/schemareplay.h"
#include "schema/schemachangemodel.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>

namespace retort::ui {

namespace {

struct Answer
{
    core::Result<core::AlembicCommand> alembic = core::makeError(core::Error::Code::None, {});
    core::Result<core::RevisionSchemaDiff> diff = core::makeError(core::Error::Code::None, {});
};

} // namespace

SchemaDiffTab::SchemaDiffTab(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long message must not widen the pane.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_status);
    m_model = new SchemaChangeModel(this);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(SchemaChangeModel::StepColumn, QHeaderView::ResizeToContents);
    // The changes are what people read: the Change column takes the spare width; Before and
    // After get what their values need (fitColumns()). A fixed 260 px Change column left
    // Before/After "n…e" in the ~400 px pane at 1024x700, and elided the change when wide.
    m_view->horizontalHeader()->setSectionResizeMode(SchemaChangeModel::ObjectColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(SchemaChangeModel::BeforeColumn, QHeaderView::Interactive);
    m_view->horizontalHeader()->setSectionResizeMode(SchemaChangeModel::AfterColumn, QHeaderView::Interactive);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SchemaDiffTab::fitColumns);
    m_view->viewport()->installEventFilter(this);
    layout->addWidget(m_view, 1);
    setStatus(tr("Select one revision: what its upgrade changes in the schema, and what its downgrade leaves "
                 "behind, replayed on a scratch database."));
}

void SchemaDiffTab::fitColumns()
{
    // Each value column as wide as its widest value, at most a quarter of the table (a long
    // default expression is elided in the middle).
    QHeaderView *header = m_view->horizontalHeader();
    const int cap = m_view->viewport()->width() / 4;
    for (int column : {int(SchemaChangeModel::BeforeColumn), int(SchemaChangeModel::AfterColumn)}) {
        const int wanted = std::max(static_cast<QAbstractItemView *>(m_view)->sizeHintForColumn(column),
                                    header->sectionSizeHint(column));
        header->resizeSection(column, std::max(header->sectionSizeHint(column), std::min(wanted, cap)));
    }
}

bool SchemaDiffTab::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitColumns();
    return QWidget::eventFilter(watched, event);
}

SchemaDiffTab::~SchemaDiffTab()
{
    if (m_cancel)
        m_cancel->store(true);
}

QString SchemaDiffTab::statusText() const
{
    return m_status->text();
}

void SchemaDiffTab::setStatus(const QString &text)
{
    m_status->setText(text);
}

void SchemaDiffTab::followDatabases(Databases *databases)
{
    if (m_databases)
        disconnect(m_databases, nullptr, this, nullptr);
    m_databases = databases;
    if (databases) {
        connect(databases, &Databases::activeChanged, this, &SchemaDiffTab::targetChanged);
        connect(databases, &Databases::connectionsChanged, this, &SchemaDiffTab::targetChanged);
        // A password given later is part of the URL a server's scratch database needs.
        connect(databases, &Databases::statusChanged, this, [this](const QString &name) {
            if (m_databases && name == m_databases->active())
                targetChanged();
        });
    }
    targetChanged();
}

QString SchemaDiffTab::baseUrl() const
{
    return m_databases && !m_databases->active().isEmpty() ? m_databases->urlWithPassword(m_databases->active()) : QString();
}

QStringList SchemaDiffTab::xArguments() const
{
    if (!m_databases)
        return {};
    const auto c = m_databases->activeConnection();
    return c ? c->xArgs : QStringList();
}

void SchemaDiffTab::targetChanged()
{
    const QString target = baseUrl() + QChar(0) + xArguments().join(QChar(0));
    if (target == m_shownTarget)
        return;
    m_shown.clear(); // another dialect or other -x arguments: another answer (the cache knows both)
    start();
}

void SchemaDiffTab::setProject(std::shared_ptr<const core::Project> project)
{
    const bool otherFolder = !m_project || !project || m_project->config.baseDir != project->config.baseDir;
    m_project = std::move(project);
    if (otherFolder)
        m_alembic.reset();
    m_shown.clear(); // files may have changed: ask again (the cache answers if they did not)
    start();
}

void SchemaDiffTab::setRevisions(const QStringList &ids)
{
    m_revision = ids.size() == 1 ? ids.first() : QString();
    start();
}

void SchemaDiffTab::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    start();
}

void SchemaDiffTab::start()
{
    if (m_cancel)
        m_cancel->store(true);
    const quint64 generation = ++m_generation;
    m_computing = false;
    if (!m_project || m_revision.isEmpty()) {
        m_model->clear();
        m_shown.clear();
        setStatus(tr("Select one revision: what its upgrade changes in the schema, and what its downgrade leaves "
                     "behind, replayed on a scratch database."));
        return;
    }
    if (m_revision == m_shown || !isVisible())
        return;
    m_computing = true;
    m_model->clear();
    setStatus(tr("Replaying the migrations up to %1 on a scratch database…").arg(m_revision));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    auto project = m_project;
    const QString revision = m_revision;
    const std::optional<core::AlembicCommand> known = m_alembic;
    const QString configured = QSettings().value(QStringLiteral("run/alembic")).toString();
    const QString baseUrl = this->baseUrl();
    const QStringList xArgs = xArguments();
    const QString target = baseUrl + QChar(0) + xArgs.join(QChar(0));
    m_shownTarget = target;
    runInBackground(
        this,
        [project, revision, known, configured, cancel, baseUrl, xArgs] {
            Answer a;
            a.alembic = known ? core::Result<core::AlembicCommand>(*known)
                              : core::AlembicLocator::locate(project->config.baseDir, configured);
            if (!a.alembic)
                return a;
            core::RevisionDiffer differ(*project, *a.alembic);
            differ.setBaseUrl(baseUrl);
            differ.setXArguments(xArgs);
            differ.setCancelFlag(cancel.get());
            a.diff = differ.compute(revision);
            return a;
        },
        [this, generation, revision](Answer a) {
            if (generation != m_generation)
                return; // a newer selection took over
            m_computing = false;
            if (!a.alembic) {
                setStatus(a.alembic.error().message);
                return;
            }
            m_alembic = *a.alembic;
            if (!a.diff) {
                setStatus(a.diff.error().message);
                return;
            }
            const core::RevisionSchemaDiff &d = *a.diff;
            m_model->setChanges(d.upgrade, d.downgradeLeftovers);
            m_shown = revision;
            auto count = [](qsizetype n, const QString &one, const QString &many) { return n == 1 ? one : many.arg(n); };
            QString text = d.upgrade.isEmpty() ? tr("%1: the upgrade does not change the schema.").arg(d.revision)
                                               : tr("%1: the upgrade makes %2.")
                                                     .arg(d.revision, count(d.upgrade.size(), tr("1 change"), tr("%1 changes")));
            if (d.downgradeTarget.isEmpty())
                text += QLatin1Char(' ') + tr("No downgrade target undoes exactly this revision.");
            else if (!d.downgradeError.isEmpty())
                text += QLatin1Char(' ') + tr("Its downgrade fails: %1").arg(d.downgradeError);
            else if (d.downgradeLeftovers.isEmpty())
                text += QLatin1Char(' ') + tr("Its downgrade restores the schema.");
            else
                text += QLatin1Char(' ') + tr("Its downgrade leaves %1 behind.")
                                               .arg(count(d.downgradeLeftovers.size(), tr("1 difference"), tr("%1 differences")));
            text += QLatin1Char(' ') + tr("(%1%2)").arg(d.dialect, d.fromCache ? tr(", cached") : QString());
            setStatus(text);
            emit diffShown(revision);
        });
}

} // namespace retort::ui
