Console.WriteLine("gw");
