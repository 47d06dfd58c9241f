# The seed's app in miniature: it announces its load and takes a second, so a second load would show.
print "I am the App\n";
sleep 1;
my $app = sub {
    my $env = shift;
    return [200, ['Content-Type' => 'text/plain'], ["Hello World from $$ uid $< gid " . ($( + 0) . "\n"]];
};
