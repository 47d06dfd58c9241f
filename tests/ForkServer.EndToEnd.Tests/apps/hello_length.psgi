# Hello World with its Content-Length, so every response can go back on a keep-alive connection unchunked.
my $body = 'Hello World';
my $app = sub {
    return [200, ['Content-Type' => 'text/plain', 'Content-Length' => length $body], [$body]];
};
