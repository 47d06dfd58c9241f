# What a process has to itself: its private dirty pages (kB) from /proc/PID/smaps, by kind of mapping.
# Usage: perl bench/private-memory.pl PID...
# In a forked ForkServer process the rest (the application, the runtime, the libraries) is shared with the base.
use strict;
use warnings;
no warnings qw(portable);   # 64-bit addresses in hex()

for my $pid (@ARGV) {
    open my $smaps, '<', "/proc/$pid/smaps" or die "/proc/$pid/smaps: $!\n";
    my ($kind, %kb, $all);
    while (<$smaps>) {
        if (/^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/) {
            my ($size, $perms, $name) = (hex($2) - hex($1), $3, $4);
            $kind = $name eq '[heap]' ? 'malloc heap (perl, runtime)'
                  : $name =~ /^\[stack/ ? 'main stack'
                  : $name ne '' ? 'library data'
                  : $perms =~ /x/ ? 'code and stubs'
                  : abs($size - 8 * 1024 * 1024) <= 8192 ? 'thread stacks'
                  : 'GC heap, runtime data';
        }
        elsif (/^Private_Dirty:\s+(\d+)/) {
            $kb{$kind} += $1;
            $all += $1;
        }
    }
    open my $comm, '<', "/proc/$pid/comm" or die "/proc/$pid/comm: $!\n";
    chomp(my $name = <$comm>);
    printf "  %-13s %5d kB: %s\n", $name, $all,
        join(', ', map { "$_ $kb{$_}" } sort { $kb{$b} <=> $kb{$a} } grep { $kb{$_} } keys %kb);
}
