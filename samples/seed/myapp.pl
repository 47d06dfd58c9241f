# The seed's app: it takes 10 seconds to load. Under fork-server mode that happens once, in the base;
# every adopted vassal is forked with it already loaded.
use strict;
use warnings;

print "I am the App\n";
sleep($ENV{MYAPP_LOAD_SECONDS} // 10);

my $app = sub {
    return [200, ['Content-Type' => 'text/plain'], ["Hello World\n"]];
};
