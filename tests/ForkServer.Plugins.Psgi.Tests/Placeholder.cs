namespace X; public class Placeholder { [Fact] public void Builds() { } }
