#!/usr/bin/perl
# Idempotent set-up of the test RT through RT's Perl API (REST2 in RT 5.0.3
# cannot manage scrips). Run by rt-up.sh as root after the site config is
# written; takes about 2 s (RT::Init). It ensures:
#   - ticket custom fields "Journey Phase" (Freeform, one value), "CSE Tags"
#     and "CSE Outcome" (Freeform, any number of values; agents' outcome
#     labels), enabled and applied globally (all queues);
#   - the global scrip "CSE poke" with the code of
#     adapters/request_tracker/scrip/cse-poke-scrip.pl (created, or updated
#     when the file changed);
#   - RT's root user has the password $ENV{RT_PASSWORD} (when set).
# Usage: rt-bootstrap.pl [--scrip-file PATH]
use strict;
use warnings;

use FindBin;
use Getopt::Long;

my $scrip_file =
    "$FindBin::RealBin/../../../adapters/request_tracker/scrip/cse-poke-scrip.pl";
GetOptions('scrip-file=s' => \$scrip_file) or die "usage: $0 [--scrip-file PATH]\n";

use lib '/usr/share/request-tracker5/lib';
use RT;
RT::LoadConfig();
RT::Init();

my $changes = 0;
sub say_ { print "bootstrap: @_\n" }
sub fail { die "bootstrap: ERROR: @_\n" }

# --- scrip code: the sections of cse-poke-scrip.pl -----------------------
sub read_scrip_sections {
    my ($path) = @_;
    open my $fh, '<', $path or fail("cannot read $path: $!");
    my (%code, $section);
    while (my $line = <$fh>) {
        if ($line =~ /^####\s*section:\s*(\w+)/) {
            $section = $1;
            $code{$section} = '';
            next;
        }
        $code{$section} .= $line if defined $section;
    }
    for my $name (qw(CustomIsApplicableCode CustomPrepareCode CustomCommitCode)) {
        fail("$path has no '#### section: $name'") unless defined $code{$name};
        $code{$name} =~ s/\s+\z/\n/;
    }
    return %code;
}

# --- custom fields ------------------------------------------------------
sub ensure_ticket_cf {
    my (%want) = @_;
    my $lookup = RT::Ticket->CustomFieldLookupType;
    my $cf = RT::CustomField->new(RT->SystemUser);
    $cf->LoadByName(Name => $want{Name}, LookupType => $lookup, IncludeDisabled => 1);
    my $what;
    if (!$cf->id) {
        my ($id, $msg) = $cf->Create(
            Name        => $want{Name},
            Type        => 'Freeform',
            MaxValues   => $want{MaxValues},
            LookupType  => $lookup,
            Description => $want{Description},
        );
        fail("creating custom field '$want{Name}': $msg") unless $id;
        $what = 'created';
    } else {
        my @fixed;
        if ($cf->Type ne 'Freeform') {
            my ($ok, $msg) = $cf->SetType('Freeform');
            fail("custom field '$want{Name}': $msg") unless $ok;
            push @fixed, 'Type';
        }
        if (($cf->MaxValues // 0) != $want{MaxValues}) {
            my ($ok, $msg) = $cf->SetMaxValues($want{MaxValues});
            fail("custom field '$want{Name}': $msg") unless $ok;
            push @fixed, 'MaxValues';
        }
        if ($cf->Disabled) {
            my ($ok, $msg) = $cf->SetDisabled(0);
            fail("custom field '$want{Name}': $msg") unless $ok;
            push @fixed, 'enabled';
        }
        $what = @fixed ? "updated (@fixed)" : 'unchanged';
    }
    if (!$cf->IsGlobal) {
        my ($ok, $msg) = $cf->AddToObject(RT::Queue->new(RT->SystemUser));
        fail("applying custom field '$want{Name}' globally: $msg") unless $ok;
        $what .= ', applied globally';
    }
    $changes++ if $what ne 'unchanged';
    say_(sprintf "custom field #%d '%s' %s", $cf->id, $want{Name}, $what);
}

ensure_ticket_cf(
    Name        => 'Journey Phase',
    MaxValues   => 1,
    Description => 'Customer journey phase, written by the CSE adapter',
);
ensure_ticket_cf(
    Name        => 'CSE Tags',
    MaxValues   => 0,
    Description => 'Tags written by the CSE adapter',
);
ensure_ticket_cf(
    Name        => 'CSE Outcome',
    MaxValues   => 0,
    Description => 'Outcome labels set by agents (cse-outcome-<practice>-<reaction>), read by the CSE adapter',
);

# --- the "CSE poke" scrip -------------------------------------------------
{
    my %code = read_scrip_sections($scrip_file);
    my $scrips = RT::Scrips->new(RT->SystemUser);
    $scrips->Limit(FIELD => 'Description', VALUE => 'CSE poke');
    my @found = @{ $scrips->ItemsArrayRef };
    fail(scalar(@found) . " scrips are named 'CSE poke'; keep one") if @found > 1;
    my $scrip = $found[0];
    my $what;
    if (!$scrip) {
        $scrip = RT::Scrip->new(RT->SystemUser);
        my ($id, $msg) = $scrip->Create(
            Description    => 'CSE poke',
            Queue          => 0,
            ScripCondition => 'User Defined',
            ScripAction    => 'User Defined',
            Template       => 'Blank',
            Stage          => 'TransactionCreate',
            %code,
        );
        fail("creating scrip 'CSE poke': $msg") unless $id;
        $what = 'created';
    } else {
        my @fixed;
        for my $field (sort keys %code) {
            next if ($scrip->$field // '') eq $code{$field};
            my $setter = "Set$field";
            my ($ok, $msg) = $scrip->$setter($code{$field});
            fail("scrip 'CSE poke' $field: $msg") unless $ok;
            push @fixed, $field;
        }
        my %by_name = (ScripCondition => 'User Defined', ScripAction => 'User Defined');
        for my $field (sort keys %by_name) {
            my $obj = $field eq 'ScripCondition' ? $scrip->ScripConditionObj : $scrip->ScripActionObj;
            next if $obj->Name eq $by_name{$field};
            my $setter = "Set$field";
            my ($ok, $msg) = $scrip->$setter($by_name{$field});
            fail("scrip 'CSE poke' $field: $msg") unless $ok;
            push @fixed, $field;
        }
        if ($scrip->Template ne 'Blank') {
            my ($ok, $msg) = $scrip->SetTemplate('Blank');
            fail("scrip 'CSE poke' Template: $msg") unless $ok;
            push @fixed, 'Template';
        }
        if ($scrip->Disabled) {
            my ($ok, $msg) = $scrip->SetDisabled(0);
            fail("scrip 'CSE poke': $msg") unless $ok;
            push @fixed, 'enabled';
        }
        if (!$scrip->IsGlobal) {
            my ($ok, $msg) = $scrip->AddToObject(ObjectId => 0, Stage => 'TransactionCreate');
            fail("applying scrip 'CSE poke' globally: $msg") unless $ok;
            push @fixed, 'applied globally';
        }
        $what = @fixed ? "updated (@fixed)" : 'unchanged';
    }
    my ($ok, $msg) = $scrip->CompileCheck;
    fail("scrip 'CSE poke' does not compile: $msg") if defined $msg;
    $changes++ if $what ne 'unchanged';
    say_(sprintf "scrip #%d 'CSE poke' %s", $scrip->id, $what);
}

# --- root's password ----------------------------------------------------
if (defined $ENV{RT_PASSWORD} && length $ENV{RT_PASSWORD}) {
    my $root = RT::User->new(RT->SystemUser);
    $root->Load('root');
    fail("RT user root not found") unless $root->id;
    if (!$root->IsPassword($ENV{RT_PASSWORD})) {
        my ($ok, $msg) = $root->SetPassword($ENV{RT_PASSWORD});
        fail("setting root's password: $msg") unless $ok;
        $changes++;
        say_("root password set");
    }
}

say_($changes ? "done ($changes changes)" : 'everything already in place');
exit 0;
