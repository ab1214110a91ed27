#include "datasheetquestions.h"

namespace assay::report {

namespace {

DatasheetQuestion q(const char *id, const char *section, const char *text, Fill fill,
                    bool required = false)
{
    return {QString::fromUtf8(id), QString::fromUtf8(section), QString::fromUtf8(text), fill,
            required};
}

constexpr char motivation[] = "Motivation";
constexpr char composition[] = "Composition";
constexpr char collection[] = "Collection process";
constexpr char preprocessing[] = "Preprocessing/cleaning/labeling";
constexpr char uses[] = "Uses";
constexpr char distribution[] = "Distribution";
constexpr char maintenance[] = "Maintenance";
constexpr char metadata[] = "Metadata";
constexpr char rai[] = "Croissant RAI";

} // namespace

QString fillName(Fill fill)
{
    switch (fill) {
    case Fill::Auto:
        return QStringLiteral("AUTO");
    case Fill::Semi:
        return QStringLiteral("SEMI");
    case Fill::Human:
        break;
    }
    return QStringLiteral("HUMAN");
}

const std::vector<DatasheetQuestion> &datasheetQuestions()
{
    using enum Fill;
    static const std::vector<DatasheetQuestion> questions = {
        q("M1", motivation,
          "For what purpose was the dataset created? Was there a specific task "
          "in mind? Was there a specific gap that needed to be filled?",
          Human),
        q("M2", motivation,
          "Who created the dataset (e.g., which team, research group) and on "
          "behalf of which entity (e.g., company, institution, organization)?",
          Human),
        q("M3", motivation,
          "Who funded the creation of the dataset? If there is an associated "
          "grant, please provide the name of the grantor and the grant name and number.",
          Human),
        q("M4", motivation, "Any other comments?", Human),
        q("C1", composition,
          "What do the instances that comprise the dataset represent (e.g., "
          "documents, photos, people, countries)? Are there multiple types of instances?",
          Semi),
        q("C2", composition,
          "How many instances are there in total (of each type, if "
          "appropriate)?",
          Auto),
        q("C3", composition,
          "Does the dataset contain all possible instances or is it a sample "
          "(not necessarily random) of instances from a larger set? If a sample, is it "
          "representative of the larger set? How was this validated?",
          Human),
        q("C4", composition,
          "What data does each instance consist of? \"Raw\" data (e.g., "
          "unprocessed text or images) or features?",
          Semi),
        q("C5", composition, "Is there a label or target associated with each instance?", Auto),
        q("C6", composition, "Is any information missing from individual instances? If so, why?",
          Semi),
        q("C7", composition,
          "Are relationships between individual instances made explicit (e.g., "
          "users' movie ratings, social network links)?",
          Semi),
        q("C8", composition,
          "Are there recommended data splits (e.g., training, development/"
          "validation, testing)? If so, please provide a description of these splits, explaining "
          "the rationale behind them.",
          Semi),
        q("C9", composition,
          "Are there any errors, sources of noise, or redundancies in the "
          "dataset?",
          Auto),
        q("C10", composition,
          "Is the dataset self-contained, or does it link to or otherwise "
          "rely on external resources (e.g., websites, tweets, other datasets)? Are there "
          "guarantees that they will exist and remain constant, official archival versions, or "
          "restrictions (e.g., licenses, fees)?",
          Semi),
        q("C11", composition,
          "Does the dataset contain data that might be considered "
          "confidential (e.g., data protected by legal privilege or by doctor-patient "
          "confidentiality, non-public communications)?",
          Human),
        q("C12", composition,
          "Does the dataset contain data that, if viewed directly, might be "
          "offensive, insulting, threatening, or might otherwise cause anxiety?",
          Human),
        q("C13", composition,
          "Does the dataset relate to people? If not, you may skip the "
          "remaining questions in this section.",
          Human),
        q("C14", composition,
          "Does the dataset identify any subpopulations (e.g., by age, "
          "gender)? If so, how are they identified and what are their distributions?",
          Semi),
        q("C15", composition,
          "Is it possible to identify individuals (i.e., one or more natural "
          "persons), either directly or indirectly (i.e., in combination with other data)?",
          Human),
        q("C16", composition,
          "Does the dataset contain data that might be considered sensitive "
          "in any way (e.g., racial or ethnic origins, sexual orientations, religious beliefs, "
          "political opinions or union memberships, locations, financial or health data, "
          "biometric or genetic data, government identification, criminal history)?",
          Human),
        q("C17", composition, "Any other comments?", Human),
        q("P1", collection,
          "How was the data associated with each instance acquired (directly "
          "observable, reported by subjects, or indirectly inferred/derived)? If reported or "
          "inferred, was it validated/verified?",
          Human),
        q("P2", collection,
          "What mechanisms or procedures were used to collect the data (e.g., "
          "hardware apparatuses or sensors, manual human curation, software programs, software "
          "APIs)? How were these mechanisms or procedures validated?",
          Semi),
        q("P3", collection,
          "If the dataset is a sample from a larger set, what was the sampling "
          "strategy (e.g., deterministic, probabilistic with specific sampling probabilities)?",
          Human),
        q("P4", collection,
          "Who was involved in the data collection process (e.g., students, "
          "crowdworkers, contractors) and how were they compensated?",
          Human),
        q("P5", collection,
          "Over what timeframe was the data collected? Does this timeframe "
          "match the creation timeframe of the data associated with the instances?",
          Semi),
        q("P6", collection,
          "Were any ethical review processes conducted (e.g., by an "
          "institutional review board)?",
          Human),
        q("P7", collection,
          "Does the dataset relate to people? If not, you may skip the "
          "remaining questions in this section.",
          Human),
        q("P8", collection,
          "Did you collect the data from the individuals in question directly, "
          "or obtain it via third parties or other sources (e.g., websites)?",
          Human),
        q("P9", collection,
          "Were the individuals in question notified about the data "
          "collection?",
          Human),
        q("P10", collection,
          "Did the individuals in question consent to the collection and use "
          "of their data?",
          Human),
        q("P11", collection,
          "If consent was obtained, were the consenting individuals provided "
          "with a mechanism to revoke their consent in the future or for certain uses?",
          Human),
        q("P12", collection,
          "Has an analysis of the potential impact of the dataset and its use "
          "on data subjects (e.g., a data protection impact analysis) been conducted?",
          Human),
        q("P13", collection, "Any other comments?", Human),
        q("R1", preprocessing,
          "Was any preprocessing/cleaning/labeling of the data done (e.g., "
          "discretization or bucketing, tokenization, part-of-speech tagging, SIFT feature "
          "extraction, removal of instances, processing of missing values)?",
          Semi),
        q("R2", preprocessing,
          "Was the \"raw\" data saved in addition to the preprocessed/"
          "cleaned/labeled data (e.g., to support unanticipated future uses)?",
          Human),
        q("R3", preprocessing,
          "Is the software that was used to preprocess/clean/label the data "
          "available?",
          Human),
        q("R4", preprocessing, "Any other comments?", Human),
        q("U1", uses, "Has the dataset been used for any tasks already?", Human),
        q("U2", uses,
          "Is there a repository that links to any or all papers or systems that use "
          "the dataset?",
          Human),
        q("U3", uses, "What (other) tasks could the dataset be used for?", Human),
        q("U4", uses,
          "Is there anything about the composition of the dataset or the way it was "
          "collected and preprocessed/cleaned/labeled that might impact future uses (e.g., "
          "unfair treatment of individuals or groups, quality of service issues)? Is there "
          "anything a dataset consumer could do to mitigate these risks or harms?",
          Semi),
        q("U5", uses, "Are there tasks for which the dataset should not be used?", Human),
        q("U6", uses, "Any other comments?", Human),
        q("D1", distribution,
          "Will the dataset be distributed to third parties outside of the "
          "entity on behalf of which the dataset was created?",
          Human),
        q("D2", distribution,
          "How will the dataset be distributed (e.g., tarball on website, "
          "API, GitHub)? Does the dataset have a digital object identifier (DOI)?",
          Human),
        q("D3", distribution, "When will the dataset be distributed?", Human),
        q("D4", distribution,
          "Will the dataset be distributed under a copyright or other "
          "intellectual property (IP) license, and/or under applicable terms of use (ToU)?",
          Semi),
        q("D5", distribution,
          "Have any third parties imposed IP-based or other restrictions on "
          "the data associated with the instances?",
          Human),
        q("D6", distribution,
          "Do any export controls or other regulatory restrictions apply to "
          "the dataset or to individual instances?",
          Human),
        q("D7", distribution, "Any other comments?", Human),
        q("T1", maintenance, "Who will be supporting/hosting/maintaining the dataset?", Human),
        q("T2", maintenance,
          "How can the owner/curator/manager of the dataset be contacted "
          "(e.g., email address)?",
          Human),
        q("T3", maintenance, "Is there an erratum?", Human),
        q("T4", maintenance,
          "Will the dataset be updated (e.g., to correct labeling errors, add "
          "new instances, delete instances)? If so, how often, by whom, and how will updates be "
          "communicated?",
          Human),
        q("T5", maintenance,
          "If the dataset relates to people, are there applicable limits on "
          "the retention of the data associated with the instances?",
          Human),
        q("T6", maintenance,
          "Will older versions of the dataset continue to be supported/hosted/"
          "maintained?",
          Human),
        q("T7", maintenance,
          "If others want to extend/augment/build on/contribute to the "
          "dataset, is there a mechanism for them to do so? Will contributions be validated?",
          Human),
        q("T8", maintenance, "Any other comments?", Human),
    };
    return questions;
}

const std::vector<DatasheetQuestion> &datasheetFields()
{
    using enum Fill;
    static const std::vector<DatasheetQuestion> fields = {
        q("meta.name", metadata, "Name of the dataset", Semi, true),
        q("meta.description", metadata, "Description: a paragraph saying what the dataset is",
          Human, true),
        q("meta.license", metadata,
          "License: an SPDX URL, e.g. "
          "https://spdx.org/licenses/CC-BY-4.0.html",
          Semi, true),
        q("meta.url", metadata, "URL of the dataset's web page", Human, true),
        q("meta.creator", metadata, "Creator: a person or organization (one per line)", Human,
          true),
        q("meta.datePublished", metadata, "Date published (ISO 8601, e.g. 2024-05-01)", Human,
          true),
        q("meta.version", metadata, "Version (MAJOR.MINOR.PATCH)", Semi),
        q("meta.keywords", metadata, "Keywords (comma-separated)", Human),
        q("meta.citeAs", metadata, "Citation (BibTeX preferred)", Human),
        q("rai.dataCollectionMissingData", rai,
          "rai:dataCollectionMissingData: what is missing "
          "from the data",
          Semi),
        q("rai.dataManipulationProtocol", rai,
          "rai:dataManipulationProtocol: how the data was "
          "changed after collection",
          Semi),
        q("rai.dataAnnotationAnalysis", rai,
          "rai:dataAnnotationAnalysis: analysis of the "
          "annotations' quality",
          Semi),
        q("rai.dataBiases", rai, "rai:dataBiases: known biases", Semi),
        q("rai.dataLimitations", rai, "rai:dataLimitations: known limitations", Semi),
        q("rai.annotationsPerItem", rai, "rai:annotationsPerItem: annotations per item", Semi),
    };
    return fields;
}

const std::vector<DatasheetQuestion> &allDatasheetEntries()
{
    static const std::vector<DatasheetQuestion> all = [] {
        std::vector<DatasheetQuestion> entries = datasheetQuestions();
        const auto &fields = datasheetFields();
        entries.insert(entries.end(), fields.begin(), fields.end());
        return entries;
    }();
    return all;
}

QStringList datasheetSections()
{
    QStringList sections;
    for (const DatasheetQuestion &entry : allDatasheetEntries())
        if (!sections.contains(entry.section))
            sections.append(entry.section);
    return sections;
}

const DatasheetQuestion *findDatasheetEntry(const QString &id)
{
    for (const DatasheetQuestion &entry : allDatasheetEntries())
        if (entry.id == id)
            return &entry;
    return nullptr;
}

} // namespace assay::report
