// One libFuzzer executable per target: ASSAY_FUZZ_TARGET names which (set by CMake).

#include "fuzztargets.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const assay::fuzz::Target &target =
        assay::fuzz::targets().at(QStringLiteral(ASSAY_FUZZ_TARGET));
    target(data, size);
    return 0;
}
