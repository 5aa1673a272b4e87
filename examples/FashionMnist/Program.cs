Console.WriteLine("FashionMnist example: under construction.");
