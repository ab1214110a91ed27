#pragma once

#include "duplicates.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace assay::store {
class Database;
}

namespace assay::analysis {

// The flags of a duplicate_members row.
enum DuplicateMemberFlag : int {
    MemberLeaks = 1,          // the cluster spans more than one split
    MemberConflict = 2,       // its members disagree on their class (or objects)
    MemberSameBytes = 4,      // every member has the same file bytes
    MemberRepresentative = 8, // this member is the cluster's representative
};

struct StoredDuplicateMember
{
    std::int64_t sampleId = 0;
    QString path; // as people read it ("a.tar#3" for a member of a container)
    QString relativePath; // the sample's file, root-relative
    std::int64_t member = -1;
    QString split;
    QString label; // the image's class, else its objects' classes ("cat, dog ×2"), else ""
    int distance = 0; // pHash bits from the representative
    bool representative = false;
    int width = 0, height = 0;
    QString format; // the decoded type ("jpeg", "png")
    std::int64_t fileSize = 0;
};

// A duplicate cluster as the last refresh stored it, representative first.
struct StoredDuplicateCluster
{
    std::int64_t id = 0;
    DuplicateKind kind = DuplicateKind::Near;
    bool leaks = false, conflict = false, sameBytes = false;
    int maxDistance = 0;
    QStringList splits; // of its members, in order of appearance
    QStringList labels; // distinct member labels
    std::vector<StoredDuplicateMember> members;
};

// Every stored cluster (largest first, then by id); empty when duplicates were never computed.
std::vector<StoredDuplicateCluster> loadStoredDuplicateClusters(store::Database &db);

} // namespace assay::analysis
