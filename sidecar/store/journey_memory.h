// The whole journey memory of one backend: ingest (JourneyStore), queries
// and erasure (AccountJourneys), the writeback outbox (WritebackOutbox) and
// outcomes (OutcomeStore). Callers take the narrow interface they need;
// this only names what each backend provides, so that one object can be
// handed to all of them.
#ifndef CSE_SIDECAR_STORE_JOURNEY_MEMORY_H_
#define CSE_SIDECAR_STORE_JOURNEY_MEMORY_H_

#include "sidecar/store/account_journeys.h"
#include "sidecar/store/journey_store.h"
#include "sidecar/store/outcome_store.h"
#include "sidecar/store/store_options.h"
#include "sidecar/store/writeback_outbox.h"

namespace cse::store {

class JourneyMemory : public JourneyStore,
                      public AccountJourneys,
                      public WritebackOutbox,
                      public OutcomeStore {};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_JOURNEY_MEMORY_H_
