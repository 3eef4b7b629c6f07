// A loopback TCP port free at the time of the call, for tests that start a
// server process and must tell it (and its clients) the port up front.
#ifndef CSE_TESTS_TESTING_FREE_PORT_H_
#define CSE_TESTS_TESTING_FREE_PORT_H_

namespace cse::testing {

// Binds port 0 on 127.0.0.1, reads the port the kernel chose and closes the
// socket. Fails the current test (EXPECT) if any step fails. The sidecar
// refuses SO_REUSEPORT sharing, so losing a race for the port fails loudly.
int FreePort();

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_FREE_PORT_H_
