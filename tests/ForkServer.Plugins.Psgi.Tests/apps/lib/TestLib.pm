package TestLib;
use strict;
use warnings;
sub greeting { 'hello from TestLib' }
1;
