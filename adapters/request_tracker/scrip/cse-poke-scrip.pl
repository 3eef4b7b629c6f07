# The "CSE poke" scrip for Request Tracker 5: after each ticket create,
# comment, correspondence, status change or custom-field change it POSTs
#   {"ticket_id":123,"transaction_id":4567,"event":"Comment"}
# to $CseWebhookURL, which tells the CSE adapter to poll REST2 now. The poke
# carries no ticket data; the adapter reads everything through REST2, and
# its transaction-id cursor stays the source of truth (a lost poke only
# delays an event until the next regular poll).
#
# Fire-and-forget: the POST has a 2 s timeout, failures are only logged,
# and the code always returns 1, so RT never refuses or rolls back a change
# because of it. With $CseWebhookURL unset or empty it does nothing.
#
# Scrip settings (see README.md in this folder for the steps):
#   Description: CSE poke
#   Condition:   User Defined       Action:   User Defined
#   Template:    Blank              Stage:    TransactionCreate
#   Applies to:  global (all queues)
#
# Site config (RT_SiteConfig.pm or a file in RT_SiteConfig.d/):
#   Set($CseWebhookURL, 'https://cse-adapter.example.com/webhooks/rt');
#   Set($CseWebhookToken, '...');   # optional, sent as X-CSE-Poke-Token
#
# Each section below goes into the form field its marker line names; the
# test harness (tests/testing/request_tracker/rt-bootstrap.pl) reads this
# file and installs the same three sections.

#### section: CustomIsApplicableCode (Custom condition)
my $type = $self->TransactionObj->Type // '';
return $type =~ /^(?:Create|Comment|Correspond|CustomField|Status)$/ ? 1 : 0;

#### section: CustomPrepareCode (Custom action preparation code)
return 1;

#### section: CustomCommitCode (Custom action commit code)
my $url = RT->Config->Get('CseWebhookURL');
return 1 unless defined $url && length $url;
my $txn = $self->TransactionObj;
my $what = sprintf 'CSE poke: %s ticket #%d txn %d',
    $txn->Type, $self->TicketObj->Id, $txn->Id;
my $ok = eval {
    require JSON;
    require LWP::UserAgent;
    my $body = JSON::encode_json({
        ticket_id      => 0 + $self->TicketObj->Id,
        transaction_id => 0 + $txn->Id,
        event          => '' . $txn->Type,
    });
    my @headers = ('Content-Type' => 'application/json');
    my $token = RT->Config->Get('CseWebhookToken');
    push @headers, 'X-CSE-Poke-Token' => $token
        if defined $token && length $token;
    my $ua = LWP::UserAgent->new(
        timeout      => 2,
        max_redirect => 0,
        max_size     => 4096,
        agent        => 'rt-cse-poke/1',
    );
    # LWP's timeout bounds each network step; the alarm bounds the whole
    # POST (a receiver trickling bytes could otherwise hold the request).
    my $res;
    {
        local $SIG{ALRM} = sub { die "timed out after 2s\n" };
        alarm 2;
        $res = eval { $ua->post($url, @headers, Content => $body) };
        my $err = $@;
        alarm 0;
        die $err if $err;
    }
    if ($res->is_success) {
        RT->Logger->debug("$what -> " . $res->code);
    } else {
        RT->Logger->warning("$what -> " . $res->status_line);
    }
    1;
};
RT->Logger->warning("$what failed: " . ($@ || 'unknown error')) unless $ok;
return 1;
