# The server-side half of Plack::Test::Suite, wrapped in Lint so protocol mistakes fail loudly.
use Plack::Test::Suite;
use Plack::Middleware::Lint;
Plack::Middleware::Lint->wrap(Plack::Test::Suite->test_app_handler);
