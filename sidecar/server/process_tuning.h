// Process-wide settings for serving: call once at the start of main(),
// before any thread exists, in every binary that serves JourneyService
// under load (cse-sidecar, and cse-empty-server so that the load tool's
// baseline runs with the very same settings).
//
// Example:
//   int main(int argc, char** argv) {
//     cse::server::TuneProcessForServing();
//     ...
//   }
#ifndef CSE_SIDECAR_SERVER_PROCESS_TUNING_H_
#define CSE_SIDECAR_SERVER_PROCESS_TUNING_H_

namespace cse::server {

// Turns off absl::Mutex deadlock detection in release builds (NDEBUG).
// Not called by the tests, which keep Abseil's default.
void TuneProcessForServing();

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_PROCESS_TUNING_H_
